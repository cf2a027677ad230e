"""Import of ledger lines (écritures) from the ERP. Format: docs/imports.md.

Each line is keyed by landlord + account number + the ERP's entry reference, so
re-running a file changes nothing. Entries absent from the file are left alone:
a file may carry only the latest month.
"""

import datetime
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from billing import periods
from billing.models import LedgerEntry
from landlords.models import Landlord
from tenancies.bulk import insert_rows
from tenancies.erpfiles import ImportFileError, ImportReport, RowReader, read_table

COLUMNS = {
    "compte",
    "reference",
    "date",
    "libelle",
    "type",
    "montant",
    "periode",
    "rubrique",
    "periode_facture",
}
REQUIRED_COLUMNS = ["compte", "reference", "date", "libelle", "type", "montant"]
KINDS = {
    "charge": LedgerEntry.Kind.CHARGE,
    "echeance": LedgerEntry.Kind.CHARGE,
    "paiement": LedgerEntry.Kind.PAYMENT,
    "reglement": LedgerEntry.Kind.PAYMENT,
    "regularisation": LedgerEntry.Kind.ADJUSTMENT,
    "remboursement": LedgerEntry.Kind.REFUND,
    # The payments export's word for a payment cancelled after confirmation: posted back as is.
    "annulation": LedgerEntry.Kind.REFUND,
}
FIELDS = ["date", "label", "kind", "amount_cents", "period", "category", "billing_period"]

# (account id, reference): the id is None only on a line already refused.
EntryKey = tuple[int | None, str]


def import_ledger(
    landlord: Landlord,
    stream: BinaryIO,
    *,
    encoding: str = "auto",
    progress: bool = False,
    on_progress=None,
    closes_period: datetime.date | None = None,
    file_name: str = "",
    user=None,
) -> ImportReport:
    """Import the file; with `closes_period`, the month it completes is closed once the
    entries are written, in the same transaction (billing/periods.py)."""
    report = ImportReport()
    if closes_period is not None and closes_period > timezone.localdate().replace(day=1):
        raise ImportFileError(
            f"Le mois complété ({closes_period:%m/%Y}) n'a pas encore commencé : un mois "
            "ne peut être clos qu'une fois commencé."
        )
    account_ids = dict(landlord.accounts.values_list("number", "id"))
    entries: dict[EntryKey, tuple] = {}
    first_line_of: dict[EntryKey, int] = {}
    for line, values in read_table(
        stream,
        is_known_column=COLUMNS.__contains__,
        required_columns=REQUIRED_COLUMNS,
        report=report,
        encoding=encoding,
        progress=progress,
        on_progress=on_progress,
    ):
        r = RowReader(values)
        number = r.text("compte", 32)
        account_id = account_ids.get(number)
        if number and account_id is None:
            r.problems.append(
                f"compte : « {number} » inconnu (importez d'abord le fichier des comptes)"
            )
        reference = r.text("reference", 40)
        entry = (
            r.date("date"),
            r.text("libelle", 200),
            r.choice("type", KINDS),
            r.amount_cents("montant"),
            r.month("periode", required=False),
            r.text("rubrique", 40, required=False),
            r.text("periode_facture", 40, required=False),
        )
        kind, amount = entry[2], entry[3]
        if kind == LedgerEntry.Kind.PAYMENT and amount is not None and amount > 0:
            r.problems.append(
                "montant : un paiement est négatif (somme portée au crédit du locataire)"
            )
        # The payments export counts a refund as money received (negative); posted with that
        # sign here, it would credit the tenant instead of making the sum owed again.
        if kind == LedgerEntry.Kind.REFUND and amount is not None and amount < 0:
            r.problems.append(
                "montant : un remboursement est positif (somme de nouveau due par le locataire)"
            )
        key = (account_id, reference)
        if r.problems:
            report.error(line, " ; ".join(r.problems))
        elif key in first_line_of:
            report.error(
                line, f"reference : « {reference} » déjà présente ligne {first_line_of[key]}"
            )
        else:
            first_line_of[key] = line
            entries[key] = entry
    if report.errors:
        return report
    if not entries:
        raise ImportFileError("Le fichier ne contient aucune ligne de données.")
    with transaction.atomic():
        # One import at a time per landlord: a second one waits for this one to finish.
        Landlord.objects.select_for_update().filter(pk=landlord.pk).exists()
        touched = _write(landlord, entries, report)
        if closes_period is not None:
            _closing, report.closing = periods.close_from_import(
                landlord,
                closes_period,
                changed=any(_states(entry, closes_period) for entry in touched),
                file_name=file_name,
                user=user,
            )
    return report


def _states(entry: tuple, period: datetime.date) -> bool:
    """Whether an entry (date, label, kind, amount, period, category, billing period) is
    part of what the month's notice states: one of its lines, or part of the balance it
    carries over."""
    date, _label, kind, _amount, entry_period, *_rest = entry
    if kind != LedgerEntry.Kind.PAYMENT and (entry_period or date.replace(day=1)) <= period:
        return True
    return date < period


def _write(landlord: Landlord, entries: dict[EntryKey, tuple], report: ImportReport) -> list[tuple]:
    """Write the new and changed entries; each one written, as it was and as it is now."""
    existing = {
        (account_id, reference): (pk, tuple(values))
        for pk, account_id, reference, *values in LedgerEntry.objects.filter(
            account__landlord=landlord
        ).values_list("pk", "account_id", "reference", *FIELDS)
    }
    new_rows, changed, touched = [], [], []
    for (account_id, reference), entry in entries.items():
        stored = existing.get((account_id, reference))
        if stored is None:
            new_rows.append((account_id, reference, *entry))
            touched.append(entry)
        elif stored[1] != entry:
            touched += [stored[1], entry]
            changed.append(
                LedgerEntry(
                    pk=stored[0],
                    account_id=account_id,
                    reference=reference,
                    **dict(zip(FIELDS, entry, strict=True)),
                )
            )
    insert_rows(LedgerEntry, ["account_id", "reference", *FIELDS], new_rows)
    LedgerEntry.objects.bulk_update(changed, FIELDS, batch_size=1000)
    report.created = len(new_rows)
    report.updated = len(changed)
    report.unchanged = len(entries) - len(new_rows) - len(changed)
    return touched
