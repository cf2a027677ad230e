import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from billing import imports as billing_imports
from billing.imports import import_ledger
from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from tenancies.erpfiles import ImportFileError
from tenancies.imports import import_accounts
from tenancies.models import TenantAccount
from tests.factories import LandlordFactory, TenantAccountFactory

pytestmark = pytest.mark.django_db

HEADER = "compte;reference;date;libelle;type;montant"


@pytest.fixture
def accounts(landlord, sample_path):
    with sample_path("comptes.csv").open("rb") as sample:
        import_accounts(landlord, sample)


def run(landlord, text: str):
    return import_ledger(landlord, io.BytesIO(text.encode()))


def lines(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def balance(number: str) -> int:
    return account_balance_cents(TenantAccount.objects.get(number=number))


def stored_entries():
    return list(LedgerEntry.objects.values().order_by("pk"))


def test_sample_ledger_gives_each_account_the_sum_of_its_lines(landlord, accounts, sample_path):
    with sample_path("ecritures.csv").open("rb") as sample:
        report = import_ledger(landlord, sample)

    assert report.errors == []
    assert report.created == 10
    assert balance("000123") == 47030
    assert balance("000457") == 3500
    assert balance("000789") == 12755
    payment = LedgerEntry.objects.get(reference="E-2026-10-P")
    assert payment.kind == LedgerEntry.Kind.PAYMENT
    assert payment.amount_cents == -47030
    assert payment.date == datetime.date(2026, 10, 5)
    assert payment.period == datetime.date(2026, 10, 1)
    assert payment.category == "paiement"
    assert LedgerEntry.objects.get(reference="E-2026-10-6").kind == LedgerEntry.Kind.ADJUSTMENT


def test_rerunning_the_same_ledger_changes_nothing(landlord, accounts, sample_path):
    with sample_path("ecritures.csv").open("rb") as sample:
        import_ledger(landlord, sample)
    before = stored_entries()

    with sample_path("ecritures.csv").open("rb") as sample:
        report = import_ledger(landlord, sample)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
    assert stored_entries() == before


def test_a_corrected_amount_updates_the_entry_and_the_balance(landlord, accounts):
    run(landlord, lines("000123;E1;01/11/2026;Loyer;charge;412,30"))

    report = run(landlord, lines("000123;E1;01/11/2026;Loyer;charge;402,30"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert balance("000123") == 40230


def test_entries_missing_from_a_later_file_are_kept(landlord, accounts):
    run(landlord, lines("000123;E1;01/10/2026;Loyer;charge;412,30"))

    run(landlord, lines("000123;E2;01/11/2026;Loyer;charge;412,30"))

    assert balance("000123") == 82460


def test_amounts_accept_signs_spaces_and_a_single_decimal(landlord, accounts):
    report = run(
        landlord,
        lines(
            "000123;E1;01/11/2026;Loyer;charge;1 234,5",
            "000123;E2;01/11/2026;APL;charge;-150",
            "000123;E3;02/11/2026;Trop-perçu;regularisation;+0,05",
        ),
    )

    assert report.errors == []
    assert balance("000123") == 123450 - 15000 + 5


def test_same_reference_on_another_landlords_account_is_a_different_entry(landlord, accounts):
    other = LandlordFactory(slug="autre")
    TenantAccountFactory(landlord=other, number="000123")
    run(landlord, lines("000123;E1;01/11/2026;Loyer;charge;412,30"))

    run(other, lines("000123;E1;01/11/2026;Loyer;charge;100,00"))

    assert balance_of(landlord) == 41230
    assert balance_of(other) == 10000


def balance_of(landlord):
    return account_balance_cents(TenantAccount.objects.get(landlord=landlord, number="000123"))


def test_every_bad_ledger_line_is_reported_and_nothing_is_written(landlord, accounts):
    run(landlord, lines("000123;E0;01/10/2026;Loyer;charge;412,30"))
    before = stored_entries()

    report = run(
        landlord,
        lines(
            "000123;E1;01/11/2026;Loyer;charge;412,30",
            "000123;E2;01/11/2026;Loyer;charge;41O,30",
            "000123;E3;31/11/2026;Loyer;charge;412,30",
            "999999;E4;01/11/2026;Loyer;charge;412,30",
            "000123;E5;05/11/2026;Paiement;paiement;470,30",
            "000123;E6;05/11/2026;Paiement;virement;-470,30",
            "000123;E1;01/11/2026;Loyer;charge;412,30",
            "000123;E7;01/11/2026;Loyer;charge;412.30",
        ),
    )

    assert dict(report.errors) == {
        3: "montant : « 41O,30 » n'est pas un montant valide (exemple : 610,68 ou -219,99)",
        4: "date : « 31/11/2026 » n'est pas une date valide (format JJ/MM/AAAA)",
        5: "compte : « 999999 » inconnu (importez d'abord le fichier des comptes)",
        6: "montant : un paiement est négatif (somme portée au crédit du locataire)",
        7: "type : « virement » n'est pas une valeur permise (charge, echeance, paiement, "
        "reglement, regularisation, remboursement, annulation)",
        8: "reference : « E1 » déjà présente ligne 2",
        9: "montant : « 412.30 » n'est pas un montant valide (exemple : 610,68 ou -219,99)",
    }
    assert stored_entries() == before


def test_bad_period_is_reported(landlord, accounts):
    report = run(
        landlord,
        "compte;reference;date;libelle;type;montant;periode\n"
        "000123;E1;01/11/2026;Loyer;charge;412,30;13/2026\n",
    )

    assert report.errors == [(2, "periode : « 13/2026 » n'est pas un mois valide (format MM/AAAA)")]


def test_empty_ledger_file_is_refused(landlord, accounts):
    with pytest.raises(ImportFileError, match="Le fichier est vide"):
        run(landlord, "")


@pytest.mark.parametrize("amount", ["- 1 2 3", "1 2 3", "١٢", "1234567890", "12,345"])
def test_amounts_that_could_be_misread_are_refused(landlord, accounts, amount):
    report = run(landlord, lines(f"000123;E1;01/11/2026;Loyer;charge;{amount}"))

    assert report.errors == [
        (2, f"montant : « {amount} » n'est pas un montant valide (exemple : 610,68 ou -219,99)")
    ]


def ledger_values():
    """The values of a line, in billing.imports.ORDER: mostly a usual line, with odd
    values here and there."""
    usual = ["000123", "E1", "01/11/2026", "Loyer", "charge", "412,30", "11/2026", "loyer"]
    usual += ["Novembre 2026"]
    odd = st.text(alphabet="0123456789,.;-+ /éÉaZ\u00a0٣", max_size=14)
    others = [
        ["999999", "", "0" * 33, " 000123"],
        ["", "R" * 41, "E 1"],
        ["31/11/2026", "1/11/2026", "01/11/1899", "01-11-2026", "٠١/١١/٢٠٢٦"],
        ["", "L" * 201],
        ["paiement", "Paiement", "échéance", "virement", "", "Charge"],
        ["-412,3", "150", "1 234,50", "412.30", ",5", "12,", "+5", "-", "1234567890", "12,345"],
        ["", "13/2026", "1/2026"],
        ["", "r" * 41],
        ["", "p" * 41],
    ]
    return st.tuples(
        *(
            st.one_of(st.just(value), st.just(value), st.just(value), st.sampled_from(more), odd)
            for value, more in zip(usual, others, strict=True)
        )
    )


@settings(max_examples=3000, deadline=None)
@given(values=ledger_values())
def test_the_shortcut_for_usual_lines_agrees_with_the_full_rules(values):
    account_ids = {"000123": 1}
    row = billing_imports._usual(values, account_ids)
    if row is not None:
        problems, checked = billing_imports._checked(
            dict(zip(billing_imports.ORDER, values, strict=True)), account_ids
        )
        assert (problems, checked) == ([], row)


@pytest.fixture
def small_batches(monkeypatch):
    """New entries handed over two at a time, and the progress told every two lines: on
    PostgreSQL a second thread COPYs each batch while the next lines are checked."""
    monkeypatch.setattr(billing_imports, "BATCH_ROWS", 2)
    monkeypatch.setattr("tenancies.erpfiles.PROGRESS_EVERY_LINES", 2)


def seven_entries() -> list[str]:
    return [f"000123;B{n};01/11/2026;Loyer;charge;{100 + n},00" for n in range(7)]


def test_entries_written_batch_by_batch_are_stored_whole(landlord, accounts, small_batches):
    # The progress is written to the database while batches are being stored.
    progress = []

    def on_progress(done, total):
        progress.append(LedgerEntry.objects.count())

    report = import_ledger(
        landlord, io.BytesIO(lines(*seven_entries()).encode()), on_progress=on_progress
    )

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (7, 0, 0)
    assert len(progress) >= 3
    assert balance("000123") == sum(10_000 + n * 100 for n in range(7))
    again = run(landlord, lines(*seven_entries()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_a_bad_line_after_batches_were_written_undoes_them(landlord, accounts, small_batches):
    before = stored_entries()

    report = run(
        landlord,
        lines(*seven_entries(), "000123;B9;31/11/2026;Loyer;charge;1,00", *seven_entries()[:1]),
    )

    assert dict(report.errors) == {
        9: "date : « 31/11/2026 » n'est pas une date valide (format JJ/MM/AAAA)",
        10: "reference : « B0 » déjà présente ligne 2",
    }
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert stored_entries() == before
