"""The ERP posts an online payment under its reference: the ledger import counts it once."""

import io

import pytest

from billing.imports import import_ledger
from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from payments.models import Payment
from tests.payments.conftest import ipn, notify, pay, signed_in

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
