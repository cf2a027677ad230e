"""A payment the tenant abandons ends at once on Lyra's notification (issue 15): the sandbox's
"Annuler" sends it as Lyra documents it; ABANDONED, CANCELLED, REFUSED end the payment."""

import html

import pytest
from django.test import Client

from payments import sandbox
from payments.models import Payment, SandboxTransaction
from payments.sandbox import lyra_signature
from payments.services import payable_range
from tests.payments.conftest import KEY, checkout_fields, ipn, notify, pay, signed_in, start_url

pytestmark = pytest.mark.django_db
SANDBOX = "/paiement/bac-a-sable/"


@pytest.fixture
def sent(monkeypatch):
    """The sandbox's notifications, delivered to the portal through the test client."""
    notifications = []

    def post(url, fields):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        notifications.append(fields)
        return Client().post(parts.path, fields, HTTP_HOST=parts.netloc).status_code

    monkeypatch.setattr(sandbox, "post_notification", post)
    return notifications


@pytest.fixture
def started(systempay, make_account):
    account, user = make_account(47030)
    client = signed_in(user)
    fields = checkout_fields(pay(client, account, "470,30"))
    return account, client, fields


def test_annuler_on_the_sandbox_page_sends_lyras_abandonment_notification(started, sent):
    account, tenant, fields = started
    provider = Client(HTTP_HOST="hmp.localhost")
    methods = provider.post(SANDBOX, fields)
    assert "Sélectionnez le moyen de paiement" in methods.text
    assert payable_range(account) == (0, 0)  # the payment in progress covers the balance

    answer = provider.post(SANDBOX + "annuler/", {"token": methods.context["token"]})

    [notification] = sent
    assert notification["vads_trans_status"] == "ABANDONED"
    assert notification["vads_result"] == "17"  # cancelled by the buyer
    assert notification["vads_url_check_src"] == "PAY"
    assert notification["vads_order_id"] == fields["vads_order_id"]
    assert notification["vads_trans_uuid"] == ""  # Lyra creates no transaction
    assert notification["vads_card_number"] == ""
    unsigned = {k: v for k, v in notification.items() if k != "signature"}
    assert notification["signature"] == lyra_signature(unsigned, KEY)
    assert not SandboxTransaction.objects.exists()
    # The payment ended at once: nothing "en cours", the whole balance may be paid again.
    payment = Payment.objects.get()
    assert payment.state == Payment.State.FAILED
    assert payable_range(account) == (2000, 47030)
    assert answer.status_code == 302 and answer["Location"] == fields["vads_url_return"]
    back = html.unescape(tenant.get(answer["Location"]).text)
    assert "<h1>Paiement annulé</h1>" in back
    assert "aucune somme n'a été prélevée" in back
    assert "attend la confirmation" not in html.unescape(tenant.get(start_url(account)).text)


def test_annuler_on_the_card_form_abandons_too(started, sent):
    _account, _tenant, fields = started
    provider = Client(HTTP_HOST="hmp.localhost")
    methods = provider.post(SANDBOX, fields)
    card = provider.post(SANDBOX + "moyen/", {"token": methods.context["token"], "brand": "VISA"})
    assert "Numéro de carte" in card.text and "Visa" in card.text

    provider.post(SANDBOX + "annuler/", {"token": card.context["token"]})

    assert [n["vads_trans_status"] for n in sent] == ["ABANDONED"]
    assert Payment.objects.get().state == Payment.State.FAILED


def test_the_chosen_means_of_payment_is_the_notifications_card_brand(started, sent):
    from tests.payments.test_sandbox import submit_card

    _account, _tenant, fields = started
    provider = Client(HTTP_HOST="hmp.localhost")
    methods = provider.post(SANDBOX, fields)
    card = provider.post(
        SANDBOX + "moyen/", {"token": methods.context["token"], "brand": "MASTERCARD"}
    )
    submit_card(provider, card, "4970100000000003")

    assert sent[0]["vads_card_brand"] == "MASTERCARD"
    assert Payment.objects.get().state == Payment.State.PAID


@pytest.mark.parametrize("status", ["ABANDONED", "CANCELLED", "REFUSED"])
def test_an_ending_notification_ends_the_payment_at_once(started, status):
    account, _tenant, _fields = started
    payment = Payment.objects.get()

    assert notify(ipn(payment, status)).status_code == 200

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    assert payable_range(account) == (2000, 47030)


def test_a_forged_abandonment_changes_nothing(started):
    payment = Payment.objects.get()
    fields = ipn(payment, "ABANDONED", key="0000000000000000")

    assert notify(fields).status_code == 400

    payment.refresh_from_db()
    assert payment.state == Payment.State.PENDING
