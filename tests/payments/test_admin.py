"""The back office: payments read-only with their events; a provider's key never shown back."""

import pytest
from django.urls import reverse

from payments.models import Payment, PaymentProvider
from tests.factories import UserFactory
from tests.payments.conftest import KEY, ipn, notify, pay, signed_in

pytestmark = pytest.mark.django_db
PLATFORM = "config.urls_platform"


@pytest.fixture
def staff_client(client, django_user_model):
    staff = UserFactory(email="admin@exemple.fr", staff=True, totp=True)
    client.force_login(staff)
    return client


def admin_get(client, name, *args):
    return client.get(reverse(name, args=args, urlconf=PLATFORM), HTTP_HOST="localhost")


def test_staff_see_a_payment_and_its_events_but_cannot_change_it(
    staff_client, systempay, make_account
):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))

    listing = admin_get(staff_client, "admin:payments_payment_changelist")
    page = admin_get(staff_client, "admin:payments_payment_change", payment.pk)

    assert payment.reference in listing.text and "470,30" in listing.text
    assert "vads_trans_status=AUTHORISED" in page.text
    assert 'name="_save"' not in page.text
    assert admin_get(staff_client, "admin:payments_payment_add").status_code == 403


def test_the_providers_key_is_never_shown_back_and_blank_keeps_it(staff_client, systempay):
    url = reverse("admin:payments_paymentprovider_change", args=[systempay.pk], urlconf=PLATFORM)
    page = staff_client.get(url, HTTP_HOST="localhost")
    assert KEY not in page.text

    staff_client.post(
        url,
        {
            "landlord": systempay.landlord_id,
            "backend": "systempay",
            "shop_id": "12345678",
            "key": "",
            "mode": "PRODUCTION",
            "service_url": "",
            "is_active": "on",
        },
        HTTP_HOST="localhost",
    )
    systempay.refresh_from_db()
    assert (systempay.key, systempay.mode) == (KEY, PaymentProvider.Mode.PRODUCTION)


def test_a_token_made_in_the_admin_is_shown_once(staff_client, landlord):
    url = reverse("admin:payments_apitoken_add", urlconf=PLATFORM)
    answer = staff_client.post(
        url, {"landlord": landlord.pk, "name": "ERP"}, HTTP_HOST="localhost", follow=True
    )
    assert "il ne sera plus jamais affiché" in answer.text
    assert landlord.api_tokens.count() == 1
