"""Refunds and cancellations after confirmation (issue 17, item 3): told apart from payments,
verified like them, each its own ledger entry written once; bad ones change nothing."""

import html

import pytest
from django.core import mail

from audit.models import AuditEvent
from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from payments.models import Payment, PaymentEvent, Reversal
from tests.payments.conftest import (
    KEY,
    cancellation_ipn,
    ipn,
    notify,
    pay,
    refund_ipn,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(systempay, make_account):
    account, user = make_account(47030, email="jean@exemple.com")
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    assert notify(ipn(payment, "AUTHORISED")).status_code == 200
    payment.refresh_from_db()
    mail.outbox.clear()
    return payment


def unchanged(payment, balance=0):
    assert not Reversal.objects.exists()
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()
    assert account_balance_cents(payment.account) == balance
    assert not mail.outbox


def test_a_refund_is_its_own_ledger_entry_the_tenant_owes_it_again_and_is_told(paid):
    answer = notify(refund_ipn(paid, 10000))

    assert (answer.status_code, answer.text) == (200, "OK")
    reversal = Reversal.objects.get()
    assert (reversal.kind, reversal.amount_cents, reversal.payment) == ("refund", 10000, paid)
    assert reversal.reference.startswith("RB") and reversal.reference != paid.reference
    entry = LedgerEntry.objects.get(reference=reversal.reference)
    assert (entry.kind, entry.amount_cents) == (LedgerEntry.Kind.REFUND, 10000)
    assert entry.label == f"Remboursement du paiement en ligne {paid.reference}"
    # The payment's own entry is untouched: the refund sits beside it.
    assert LedgerEntry.objects.get(reference=paid.reference).amount_cents == -47030
    assert account_balance_cents(paid.account) == 10000
    paid.refresh_from_db()
    assert paid.state == Payment.State.PAID
    [email] = mail.outbox
    assert email.to == ["jean@exemple.com"]
    assert "100,00" in email.body and paid.reference in email.body
    assert reversal.reference in email.body
    assert AuditEvent.objects.filter(action="payments.reversal_recorded").count() == 1
    assert paid.events.filter(kind=PaymentEvent.Kind.REVERSAL).count() == 1


def test_the_payment_history_shows_its_refunds(paid):
    notify(refund_ipn(paid, 10000))
    notify(refund_ipn(paid, 2030, uuid="0" * 32))

    page = signed_in(paid.user).get(f"/paiement/retour/{paid.reference}/")

    text = html.unescape(page.text)
    assert "Remboursements et annulations" in text
    for reversal in Reversal.objects.all():
        assert reversal.reference in text
    assert "remboursement de 100,00 €" in text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_cancellation_after_confirmation_gives_the_whole_amount_back(paid):
    answer = notify(cancellation_ipn(paid))

    assert answer.status_code == 200
    reversal = Reversal.objects.get()
    assert (reversal.kind, reversal.amount_cents) == ("cancellation", 47030)
    assert reversal.provider_transaction_id == paid.provider_transaction_id
    entry = LedgerEntry.objects.get(reference=reversal.reference)
    assert entry.label == f"Annulation du paiement en ligne {paid.reference}"
    assert account_balance_cents(paid.account) == 47030
    [email] = mail.outbox
    assert "annulé" in email.subject.lower() or "annulé" in email.body


def test_a_cancellation_before_confirmation_only_fails_the_payment(systempay, make_account):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()

    assert notify(ipn(payment, "CANCELLED")).status_code == 200

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    unchanged(payment, balance=47030)


def test_the_same_refund_five_times_is_written_once(paid):
    fields = refund_ipn(paid, 10000)
    answers = [notify(fields).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert Reversal.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).count() == 1
    assert account_balance_cents(paid.account) == 10000
    assert len(mail.outbox) == 1


def test_the_same_cancellation_five_times_is_written_once(paid):
    for _ in range(5):
        assert notify(cancellation_ipn(paid)).status_code == 200
    assert Reversal.objects.count() == 1
    assert account_balance_cents(paid.account) == 47030


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            lambda p: refund_ipn(p, 1000, vads_order_id="PLZZZZZZZZ"),
            "aucun paiement en ligne ne porte cette référence",
        ),
        (lambda p: refund_ipn(p, 50000), "500,00 € dépasse"),
        (lambda p: refund_ipn(p, 0), "montant invalide"),
        (lambda p: cancellation_ipn(p, vads_amount="1000"), "n'est pas celui du paiement"),
    ],
    ids=["unknown payment", "larger than the payment", "zero", "wrong amount"],
)
def test_a_bad_refund_gets_a_clear_answer_changes_nothing_and_is_journaled(paid, fields, message):
    answer = notify(fields(paid))

    assert answer.status_code == 400
    raw = answer.content.decode()
    text = raw.replace("\u202f", " ").replace("\xa0", " ")
    assert text.startswith("KO : ")
    assert message in text
    unchanged(paid)
    journal = AuditEvent.objects.get(action="payments.reversal_refused")
    assert journal.reason == raw.removeprefix("KO : ")
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.REFUSED_MESSAGE).count() == 1


def test_refunds_beyond_what_was_paid_are_refused_even_in_several_parts(paid):
    assert notify(refund_ipn(paid, 40000, uuid="1" * 32)).status_code == 200
    answer = notify(refund_ipn(paid, 10000, uuid="2" * 32))

    assert answer.status_code == 400
    assert "ce qui reste remboursable" in answer.content.decode()
    assert Reversal.objects.count() == 1
    assert account_balance_cents(paid.account) == 40000


def test_a_refund_of_a_payment_never_confirmed_is_refused(systempay, make_account):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()

    answer = notify(refund_ipn(payment, 1000))

    assert answer.status_code == 400
    assert "n'a pas été confirmé" in answer.content.decode()
    unchanged(payment, balance=47030)


@pytest.mark.parametrize(
    "change",
    [
        {"signature": "forged"},
        {"key": "0000000000000000"},
        {"vads_site_id": "87654321"},
        {"vads_ctx_mode": "PRODUCTION"},
    ],
    ids=["bad signature", "other key", "other shop", "other mode"],
)
def test_a_refund_is_verified_like_a_payment(paid, change):
    key = change.pop("key", KEY)
    fields = refund_ipn(paid, 1000, key=key, **change)
    if "signature" in change:
        fields["signature"] = change["signature"]

    assert notify(fields).status_code == 400
    unchanged(paid)


def test_a_refund_refused_by_the_provider_changes_nothing(paid):
    fields = ipn(
        paid,
        "REFUSED",
        vads_operation_type="CREDIT",
        vads_amount="1000",
        vads_trans_uuid="3" * 32,
    )
    assert notify(fields).status_code == 200
    unchanged(paid)


def test_the_erp_export_carries_refunds_and_cancellations_with_their_own_type(paid):
    from tests.payments.test_export import export

    export()  # the payment, in batch 1
    notify(refund_ipn(paid, 10000))
    notify(cancellation_ipn(paid, vads_amount="37030"))  # refused: not the payment's amount

    csv_text, report = export()

    [header, line] = csv_text.splitlines()
    reversal = Reversal.objects.get()
    assert header.endswith(";type;paiement")
    cells = line.split(";")
    assert cells[0] == "2" and cells[2] == reversal.reference
    assert cells[5] == "-100,00"
    assert cells[6] == "Remboursement du paiement en ligne"
    assert cells[8] == "9b1d0c2e3f4a5b6c7d8e9f0a1b2c3d4e"  # the refund's own transaction
    assert cells[9:] == ["remboursement", paid.reference]
    assert "1 remboursement(s) ou annulation(s)" in report
    assert export() == ("", "Aucun paiement confirmé à exporter.\n")


def test_the_sandbox_back_office_refunds_and_cancels_speaking_lyras_protocol(
    systempay, make_account, notifications_through_test_client
):
    from tests.payments.conftest import checkout_fields
    from tests.payments.test_sandbox import browser, card_page, submit_card

    account, user = make_account(47030)
    fields = checkout_fields(pay(signed_in(user), account, "470,30"))
    client = browser()
    submit_card(client, card_page(client, fields), "4970100000000003")
    payment = Payment.objects.get()
    assert payment.state == Payment.State.PAID
    mail.outbox.clear()

    office = client.get("/paiement/bac-a-sable/back-office/")
    assert payment.reference in office.text
    transaction = payment.provider_transaction_id
    client.post(
        f"/paiement/bac-a-sable/back-office/{transaction}/",
        {"action": "refund", "amount": "100,00"},
    )
    too_much = client.post(
        f"/paiement/bac-a-sable/back-office/{transaction}/",
        {"action": "refund", "amount": "400,00"},
        follow=True,
    )
    assert "Montant à rembourser invalide" in html.unescape(too_much.text)

    assert notifications_through_test_client == [200, 200]  # the payment, the refund
    refund = Reversal.objects.get()
    assert (refund.kind, refund.amount_cents) == ("refund", 10000)
    assert refund.provider_transaction_id != transaction
    assert account_balance_cents(payment.account) == 10000
    assert len(mail.outbox) == 1

    client.post(f"/paiement/bac-a-sable/back-office/{transaction}/", {"action": "cancel"})

    # Lyra cancels the whole transaction; the portal refuses it: 100 € were refunded already.
    assert notifications_through_test_client[-1] == 400
    assert Reversal.objects.count() == 1
    assert AuditEvent.objects.filter(action="payments.reversal_refused").count() == 1
