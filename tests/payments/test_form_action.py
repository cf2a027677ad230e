"""The payment pages' policy lets their forms go to the landlord's provider, and nowhere else."""

import pytest

from payments.models import PaymentProvider
from tests.payments.conftest import signed_in

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"


def policy(response) -> list[str]:
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


def amount_page_policy(make_account, service_url):
    account, user = make_account(47030)
    PaymentProvider.objects.filter(landlord=account.landlord).update(service_url=service_url)
    response = signed_in(user).get(
        f"/mon-compte/compte/{account.pk}/reglement/montant/", HTTP_HOST=HOST
    )
    assert response.status_code == 200
    return next(part for part in policy(response) if part.startswith("form-action"))


def test_the_payment_page_lets_its_form_go_to_the_landlords_provider_only(systempay, make_account):
    assert amount_page_policy(make_account, "") == (
        "form-action 'self' https://paiement.systempay.fr"
    )


def test_the_sandbox_provider_is_the_portal_itself(systempay, make_account):
    assert amount_page_policy(make_account, "/paiement/bac-a-sable/") == "form-action 'self'"
