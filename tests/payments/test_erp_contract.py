"""The ERP posts an online payment, or a refund on it, under the portal's reference: the
ledger import counts it once."""

import io

import pytest

from billing.imports import import_ledger
from billing.models import LedgerEntry
from billing.money import decimal_comma
from billing.statement import account_balance_cents
from payments.export import export_confirmed_payments, export_lines
from payments.models import Payment, Reversal
from tests.payments.conftest import cancellation_ipn, ipn, notify, pay, refund_ipn, signed_in

pytestmark = pytest.mark.django_db


def test_the_erps_ledger_line_for_an_online_payment_replaces_the_portals(
    systempay, make_account, landlord
):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))
    assert account_balance_cents(account) == 0

    ledger = (
        "compte;reference;date;libelle;type;montant\n"
        f"{account.number};{payment.reference};21/11/2026;Règlement CB internet;paiement;-470,30\n"
    )
    report = import_ledger(landlord, io.BytesIO(ledger.encode()))

    assert not report.errors
    assert LedgerEntry.objects.filter(account=account, kind="payment").count() == 1
    assert account_balance_cents(account) == 0


def erp_ledger_of(lines) -> io.BytesIO:
    """What the ERP posts back for an exported batch: each line under the portal's reference,
    its amount signed as the ledger counts it (a payment credits the tenant, a refund is
    owed again)."""
    rows = ["compte;reference;date;libelle;type;montant"]
    for line in lines:
        rows.append(
            f"{line['compte']};{line['reference']};{line['date']:%d/%m/%Y};"
            f"{line['libelle']} (CB internet);{line['type']};"
            f"{decimal_comma(-line['montant_cents'])}"
        )
    return io.BytesIO("\n".join(rows).encode())


def test_the_erps_ledger_line_for_a_refund_replaces_the_portals(systempay, make_account, landlord):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))
    refund = refund_ipn(payment, 10000)
    assert notify(refund).status_code == 200
    reversal = Reversal.objects.get()
    assert account_balance_cents(account) == 10000  # owed again
    lines = export_lines(export_confirmed_payments(landlord, "test"))
    assert [line["type"] for line in lines] == ["paiement", "remboursement"]

    report = import_ledger(landlord, erp_ledger_of(lines))
    notify(refund)  # Lyra's notification again, after the ERP's line

    assert not report.errors
    assert (report.created, report.updated) == (0, 2)
    [entry] = LedgerEntry.objects.filter(account=account, kind=LedgerEntry.Kind.REFUND)
    assert (entry.reference, entry.amount_cents) == (reversal.reference, 10000)
    assert entry.label.endswith("(CB internet)")  # the ERP's line, in the portal's place
    assert Reversal.objects.count() == 1
    assert account_balance_cents(account) == 10000


def test_a_refund_posted_with_the_exports_sign_is_refused_and_changes_nothing(
    systempay, make_account, landlord
):
    """The export counts money received (a refund: -100,00); the ledger counts what the
    tenant owes (a refund: +100,00). A refund posted negative would credit the tenant twice
    the amount given back."""
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))
    notify(refund_ipn(payment, 10000))
    reversal = Reversal.objects.get()
    ledger = (
        "compte;reference;date;libelle;type;montant\n"
        f"{account.number};{reversal.reference};22/11/2026;Remboursement;remboursement;-100,00\n"
    )

    report = import_ledger(landlord, io.BytesIO(ledger.encode()))

    assert dict(report.errors) == {
        2: "montant : un remboursement est positif (somme de nouveau due par le locataire)"
    }
    assert LedgerEntry.objects.get(reference=reversal.reference).amount_cents == 10000
    assert account_balance_cents(account) == 10000


def test_the_erps_ledger_line_for_a_cancellation_replaces_the_portals(
    systempay, make_account, landlord
):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))
    assert notify(cancellation_ipn(payment)).status_code == 200
    assert account_balance_cents(account) == 47030
    lines = export_lines(export_confirmed_payments(landlord, "test"))
    assert lines[1]["type"] == "annulation"

    report = import_ledger(landlord, erp_ledger_of(lines))  # posted back with the export's word

    assert not report.errors
    assert LedgerEntry.objects.filter(account=account, kind=LedgerEntry.Kind.REFUND).count() == 1
    assert account_balance_cents(account) == 47030
