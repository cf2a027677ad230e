"""Every page reaches the account through the signed-in tenant's own accounts."""

import pytest
from django.test import Client

from payments.models import Payment
from tests.payments.conftest import amount_url, pay, signed_in, start_url

pytestmark = pytest.mark.django_db


def test_another_tenants_account_id_gives_404(systempay, make_account):
    mine, me = make_account(47030)
    theirs, _them = make_account(61068)
    client = signed_in(me)

    assert client.get(start_url(theirs)).status_code == 404
    assert client.get(amount_url(theirs)).status_code == 404
    assert pay(client, theirs, "100").status_code == 404
    assert not Payment.objects.exists()
    assert client.get(start_url(mine)).status_code == 200


def test_another_tenants_payment_reference_gives_404(systempay, make_account):
    theirs, them = make_account(61068)
    _mine, me = make_account(47030)
    pay(signed_in(them), theirs, "100")
    reference = Payment.objects.get().reference

    assert signed_in(me).get(f"/paiement/retour/{reference}/").status_code == 404


def test_the_payment_pages_need_a_signed_in_tenant(systempay, make_account):
    account, _user = make_account(47030)
    page = Client(HTTP_HOST="hmp.localhost").get(start_url(account))
    assert page.status_code == 302 and "/compte/login/" in page["Location"]


def test_a_landlord_without_online_payment_says_so(landlord, make_account):
    account, user = make_account(47030)
    page = signed_in(user).get(start_url(account))
    assert "Le paiement en ligne n'est pas disponible pour le moment" in page.text
    assert pay(signed_in(user), account, "100").status_code == 200
    assert not Payment.objects.exists()
