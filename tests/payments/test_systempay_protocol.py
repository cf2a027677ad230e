"""The Systempay form and signature, checked against Lyra's documented example."""

import pytest

from payments.models import Payment
from payments.providers import InvalidMessage, provider_for
from payments.sandbox import lyra_signature
from tests.payments.conftest import KEY, amount_url, checkout_fields, ipn, pay, signed_in

# The example of Lyra's guide ("Calculer la signature", HMAC-SHA-256).
GUIDE_FIELDS = {
    "vads_action_mode": "INTERACTIVE",
    "vads_amount": "5124",
    "vads_ctx_mode": "TEST",
    "vads_currency": "978",
    "vads_page_action": "PAYMENT",
    "vads_payment_config": "SINGLE",
    "vads_site_id": "12345678",
    "vads_trans_date": "20170129130025",
    "vads_trans_id": "123456",
    "vads_version": "V2",
}
GUIDE_KEY = "1122334455667788"
GUIDE_SIGNATURE = "ycA5Do5tNvsnKdc/eP1bj2xa19z9q3iWPy9/rpesfS0="


def test_the_sandbox_signs_like_lyras_guide():
    assert lyra_signature(GUIDE_FIELDS, GUIDE_KEY) == GUIDE_SIGNATURE


def test_the_portal_checks_signatures_like_lyras_guide(systempay):
    systempay.key = GUIDE_KEY
    backend = provider_for(systempay)._eopayment().backend
    assert backend.signature(GUIDE_FIELDS) == GUIDE_SIGNATURE


@pytest.mark.django_db
def test_the_payment_form_carries_the_amount_the_reference_and_a_valid_signature(
    systempay, make_account
):
    account, user = make_account(47030)
    response = pay(signed_in(user), account, "120,50")

    payment = Payment.objects.get()
    fields = checkout_fields(response)
    assert response.context["checkout"].url == "http://hmp.localhost/paiement/bac-a-sable/"
    assert fields["vads_amount"] == "12050"
    assert fields["vads_currency"] == "978"
    assert fields["vads_order_id"] == payment.reference
    assert fields["vads_site_id"] == "12345678"
    assert fields["vads_ctx_mode"] == "TEST"
    assert fields["vads_url_check"] == "http://hmp.localhost/paiement/notification/"
    assert fields["vads_url_return"] == f"http://hmp.localhost/paiement/retour/{payment.reference}/"
    assert fields["signature"] == lyra_signature(fields, KEY)
    assert payment.state == Payment.State.PENDING
    assert b"Continuer vers le paiement s\xc3\xa9curis\xc3\xa9" in response.content
    assert b"csrfmiddlewaretoken" not in response.content  # the form goes to the provider


@pytest.mark.django_db
def test_a_notification_signed_with_another_key_is_invalid(systempay, make_account):
    account, user = make_account(47030)
    pay(signed_in(user), account)
    fields = ipn(Payment.objects.get(), key="9999999999999999")
    with pytest.raises(InvalidMessage, match="bad signature"):
        provider_for(systempay).parse_notification(fields)


@pytest.mark.django_db
def test_the_key_never_reaches_the_logs(systempay, make_account, caplog):
    account, user = make_account(47030)
    client = signed_in(user)
    with caplog.at_level("DEBUG"):
        client.get(amount_url(account))
        pay(client, account)
        provider_for(systempay).parse_notification(ipn(Payment.objects.get()))
    assert KEY not in caplog.text
