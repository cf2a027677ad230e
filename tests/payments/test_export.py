"""export_payments: each confirmed payment goes to the ERP exactly once; past batches re-read."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from payments.models import Payment
from tests.payments.conftest import ipn, notify, pay, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirm(systempay, make_account):
    def confirm(amount="470,30", balance=47030, status="AUTHORISED"):
        account, user = make_account(balance)
        pay(signed_in(user), account, amount)
        payment = Payment.objects.filter(account=account).get()
        notify(ipn(payment, status))
        payment.refresh_from_db()
        return payment

    return confirm


def export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_payments", "--landlord", "hmp", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_confirmed_payments_are_exported_once_as_documented(confirm):
    with freeze_time(datetime.datetime(2026, 11, 20, 23, 30, tzinfo=datetime.UTC)):
        paid = confirm("1 234,56", balance=200000)
    confirm("100", status="REFUSED")

    csv_text, report = export()

    assert csv_text.splitlines() == [
        "lot;compte;reference;date;heure;montant;libelle;prestataire;transaction;type;paiement",
        f"1;{paid.account.number};{paid.reference};21/11/2026;00:30:00;1234,56;"
        "Paiement en ligne;systempay;4a3f7c0e9b5d4d0f8e2a1c6b7d8e9f00;"  # vads_trans_uuid
        f"paiement;{paid.reference}",
    ]
    assert "Lot 1 : 1 paiement(s)." in report
    assert export() == ("", "Aucun paiement confirmé à exporter.\n")


def test_a_new_batch_carries_only_the_new_payments(confirm):
    first = confirm()
    export()
    second = confirm()

    csv_text, _ = export()

    assert second.reference in csv_text and first.reference not in csv_text
    assert csv_text.splitlines()[1].startswith("2;")


def test_a_past_batch_can_be_exported_again_to_a_file(confirm, tmp_path):
    paid = confirm()
    first, _ = export()

    export("--batch", "1", "--output", str(tmp_path / "lot1.csv"))

    assert (tmp_path / "lot1.csv").read_bytes() == first.encode()
    assert paid.reference in first


def test_an_unknown_batch_or_landlord_is_an_error(confirm):
    with pytest.raises(CommandError, match="Lot 7 inconnu"):
        export("--batch", "7")
    with pytest.raises(CommandError, match="Bailleur inconnu"):
        call_command("export_payments", "--landlord", "personne")


@pytest.mark.parametrize(
    "transaction", ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_a_text_starting_like_a_formula_is_exported_as_text(confirm, transaction):
    paid = confirm()
    Payment.objects.filter(pk=paid.pk).update(provider_transaction_id=transaction)

    csv_text, _ = export()

    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert rows[1][8] == f"'{transaction}"
    assert rows[1][5] == "470,30"
