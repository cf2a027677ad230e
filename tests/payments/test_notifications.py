"""Only the provider's signed notification changes a payment (rules 1, 2 and 3)."""

import pytest
from django.core import mail

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from payments.models import Payment, PaymentEvent, PaymentProvider
from tests.payments.conftest import ipn, notify, pay, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(systempay, make_account):
    account, user = make_account(47030, email="jean@exemple.com")
    pay(signed_in(user), account, "470,30")
    return Payment.objects.get()


def test_an_accepted_notification_credits_the_account_at_once_and_emails_the_reference(pending):
    answer = notify(ipn(pending, "AUTHORISED"))

    assert (answer.status_code, answer.text) == (200, "OK")
    pending.refresh_from_db()
    assert pending.state == Payment.State.PAID
    assert pending.confirmed_at is not None
    entry = LedgerEntry.objects.get(reference=pending.reference)
    assert (entry.kind, entry.amount_cents, entry.label, entry.category) == (
        LedgerEntry.Kind.PAYMENT,
        -47030,
        "Paiement en ligne",
        "paiement",
    )
    assert account_balance_cents(pending.account) == 0
    [email] = mail.outbox
    assert email.to == ["jean@exemple.com"]
    assert pending.reference in email.subject and pending.reference in email.body
    assert "470,30" in email.body


def test_a_refused_notification_fails_the_payment_and_credits_nothing(pending):
    answer = notify(ipn(pending, "REFUSED"))

    assert answer.status_code == 200
    pending.refresh_from_db()
    assert pending.state == Payment.State.FAILED
    assert account_balance_cents(pending.account) == 47030
    assert not mail.outbox


def test_same_notification_five_times_credits_once(pending):
    fields = ipn(pending, "AUTHORISED")
    answers = [notify(fields).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert LedgerEntry.objects.filter(reference=pending.reference).count() == 1
    assert account_balance_cents(pending.account) == 0
    assert len(mail.outbox) == 1
    assert pending.events.filter(kind=PaymentEvent.Kind.NOTIFICATION).count() == 5


def test_a_refusal_after_an_acceptance_does_not_undo_it(pending):
    notify(ipn(pending, "AUTHORISED"))
    answer = notify(ipn(pending, "REFUSED"))

    assert answer.status_code == 200
    pending.refresh_from_db()
    assert pending.state == Payment.State.PAID
    assert account_balance_cents(pending.account) == 0


def test_an_acceptance_after_a_refusal_credits_the_account(pending):
    """Lyra's page lets the tenant try another card after a refusal."""
    notify(ipn(pending, "REFUSED"))
    notify(ipn(pending, "AUTHORISED"))

    pending.refresh_from_db()
    assert pending.state == Payment.State.PAID


def _production(pending):
    PaymentProvider.objects.update(mode=PaymentProvider.Mode.PRODUCTION)
    return ipn(pending, "AUTHORISED")


BAD_NOTIFICATIONS = {
    "bad signature": lambda p: {**ipn(p), "signature": ipn(p, key="0000000000000000")["signature"]},
    "signed with another key": lambda p: ipn(p, key="6655443322110099"),
    "altered after signing": lambda p: {**ipn(p), "vads_amount": "100"},
    "other shop id": lambda p: ipn(p, vads_site_id="87654321"),
    "TEST when PRODUCTION is expected": _production,
    "unknown payment": lambda p: ipn(p, vads_order_id="PLINCONNU1"),
    "wrong amount": lambda p: ipn(p, vads_amount="100"),
    "wrong currency": lambda p: ipn(p, vads_currency="840"),
    "no signature": lambda p: {k: v for k, v in ipn(p).items() if k != "signature"},
    "not a Systempay message": lambda p: {"idOp": "123"},
}


@pytest.mark.parametrize("case", BAD_NOTIFICATIONS)
def test_a_bad_notification_is_refused_changes_nothing_and_is_logged(pending, case, caplog):
    fields = BAD_NOTIFICATIONS[case](pending)

    answer = notify(fields)

    assert answer.status_code == 400
    pending.refresh_from_db()
    assert pending.state == Payment.State.PENDING
    assert account_balance_cents(pending.account) == 47030
    assert not LedgerEntry.objects.filter(reference=pending.reference).exists()
    assert not mail.outbox
    assert "Payment notification refused" in caplog.text
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.REFUSED_MESSAGE).count() == 1


def test_a_shop_saved_without_a_key_accepts_no_notification(pending):
    """A key left empty (saved outside the admin's checks) must not make the HMAC public."""
    PaymentProvider.objects.update(key="")

    answer = notify(ipn(pending, "AUTHORISED", key=""))

    assert answer.status_code == 400
    pending.refresh_from_db()
    assert pending.state == Payment.State.PENDING
    assert account_balance_cents(pending.account) == 47030


def test_a_test_mode_notification_is_refused_on_a_production_deployment(pending, settings):
    """A landlord left on its TEST configuration cannot be credited by test cards."""
    settings.PAYMENT_TEST_MODE = False

    answer = notify(ipn(pending, "AUTHORISED"))

    assert answer.status_code == 400
    pending.refresh_from_db()
    assert pending.state == Payment.State.PENDING
    assert account_balance_cents(pending.account) == 47030


def test_a_notification_for_another_landlords_payment_is_refused(pending, make_account):
    from tests.factories import LandlordFactory, PaymentProviderFactory

    other = LandlordFactory(slug="autre")
    PaymentProviderFactory(landlord=other, service_url="", key="1122334455667788")
    answer = notify(ipn(pending), host="autre.localhost")

    assert answer.status_code == 400
    pending.refresh_from_db()
    assert pending.state == Payment.State.PENDING


def test_an_address_sending_forged_notifications_is_slowed_down_not_the_provider(pending):
    forged = {**ipn(pending, "AUTHORISED"), "signature": "x" * 44}
    answers = [notify(forged).status_code for _ in range(21)]

    assert answers == [400] * 20 + [429]
    events = PaymentEvent.objects.filter(kind=PaymentEvent.Kind.REFUSED_MESSAGE).count()
    assert events == 20  # the slowed-down answer writes nothing
    # The provider's genuine notification comes from another address.
    from django.test import Client

    genuine = Client(REMOTE_ADDR="192.0.2.10").post(
        "/paiement/notification/", ipn(pending, "AUTHORISED"), HTTP_HOST="hmp.localhost"
    )
    assert genuine.status_code == 200
    pending.refresh_from_db()
    assert pending.state == Payment.State.PAID


def test_refusals_of_signed_messages_never_slow_the_provider_down(pending):
    other_amount = ipn(pending, "AUTHORISED", vads_amount="100")
    assert [notify(other_amount).status_code for _ in range(25)] == [400] * 25

    assert notify(ipn(pending, "AUTHORISED")).status_code == 200


def test_the_notification_url_takes_only_posts(pending):
    from django.test import Client

    assert Client().get("/paiement/notification/", HTTP_HOST="hmp.localhost").status_code == 405


def test_the_return_page_only_reads_the_state(pending):
    """Rule 1: coming back from the provider, even with its fields, changes nothing."""
    client = signed_in(pending.user)
    page = client.get(f"/paiement/retour/{pending.reference}/", ipn(pending, "AUTHORISED"))

    assert "<h1>Paiement en cours de confirmation</h1>" in page.text
    pending.refresh_from_db()
    assert pending.state == Payment.State.PENDING
    notify(ipn(pending, "AUTHORISED"))
    assert "<h1>Paiement accepté</h1>" in client.get(f"/paiement/retour/{pending.reference}/").text
