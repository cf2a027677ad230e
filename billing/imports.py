"""Import of ledger lines (écritures) from the ERP. Format: docs/imports.md.

Each line is keyed by landlord + account number + the ERP's entry reference, so
re-running a file changes nothing. Entries absent from the file are left alone:
a file may carry only the latest month.
"""

import datetime
import operator
from collections.abc import Iterator
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from billing import periods
from billing.models import LedgerEntry
from landlords.models import Landlord
from tenancies.bulk import Copies
from tenancies.erpfiles import (
    ImportFileError,
    ImportReport,
    LinesRefused,
    RowReader,
    Table,
    collector_paused,
    open_table,
    parse_amount_cents,
    parse_date,
    parse_month,
)

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
# A line as stored, and the file's columns that give it.
ROW = ["account_id", "reference", *FIELDS]
ORDER = [
    *("compte", "reference", "date", "libelle", "type", "montant"),
    *("periode", "rubrique", "periode_facture"),
]

# New entries handed to PostgreSQL at a time: small enough that the last batch, stored
# once the file is read, is short; large enough that a COPY's own cost does not count.
BATCH_ROWS = 10_000

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
    with collector_paused():
        table = open_table(
            stream,
            is_known_column=COLUMNS.__contains__,
            required_columns=REQUIRED_COLUMNS,
            report=report,
            encoding=encoding,
            progress=progress,
            on_progress=on_progress,
        )
        try:
            with transaction.atomic():
                # One import at a time per landlord: a second one waits for this one to
                # finish.
                Landlord.objects.select_for_update().filter(pk=landlord.pk).exists()
                changed = _import(landlord, table, report, closes_period)
                if closes_period is not None:
                    _closing, report.closing = periods.close_from_import(
                        landlord,
                        closes_period,
                        changed=changed,
                        file_name=file_name,
                        user=user,
                    )
        except LinesRefused:
            pass
    return report


def _import(
    landlord: Landlord, table: Table, report: ImportReport, period: datetime.date | None
) -> bool:
    """Write the file's new and changed entries; tell whether one of them, as it was or as
    it is, is part of what `period`'s notice states (False without a period).

    New entries are handed to Copies a batch at a time as the lines are read, so that
    PostgreSQL stores them (and checks their accounts) while the next lines are checked;
    the first bad line stops the writing, the others are still checked for the report,
    then the transaction is rolled back (all or nothing)."""
    account_ids = dict(landlord.accounts.values_list("number", "id"))
    existing = {
        (row[0], row[1]): (pk, tuple(row))
        for pk, *row in LedgerEntry.objects.filter(account__landlord=landlord).values_list(
            "pk", *ROW
        )
    }
    changed: list[LedgerEntry] = []
    touches_period = False
    new = unchanged = 0
    with Copies(LedgerEntry) as copies:
        batch: list[tuple] = []
        for row in _rows(table, account_ids, report):
            stored = existing.get((row[0], row[1]))
            if stored is None:
                new += 1
                if period is not None and not touches_period:
                    touches_period = _states(row, period)
                if not report.errors:
                    batch.append(row)
                    if len(batch) == BATCH_ROWS:
                        copies.insert(LedgerEntry, ROW, batch)
                        batch = []
            elif stored[1] != row:
                if period is not None and not touches_period:
                    touches_period = _states(stored[1], period) or _states(row, period)
                changed.append(LedgerEntry(pk=stored[0], **dict(zip(ROW, row, strict=True))))
            else:
                unchanged += 1
        if report.errors:
            raise LinesRefused
        copies.insert(LedgerEntry, ROW, batch)
    if not new and not changed and not unchanged:
        raise ImportFileError("Le fichier ne contient aucune ligne de données.")
    LedgerEntry.objects.bulk_update(changed, FIELDS, batch_size=1000)
    report.created, report.updated, report.unchanged = new, len(changed), unchanged
    return touches_period


def _rows(table: Table, account_ids: dict[str, int], report: ImportReport) -> Iterator[tuple]:
    """Each good line as a row (account id, reference, *FIELDS), once per entry."""
    columns = table.columns
    # An absent optional column reads as the empty value appended to each line.
    position = {name: index for index, name in enumerate(columns)}
    values_of = operator.itemgetter(*(position.get(name, len(columns)) for name in ORDER))
    first_line_of: dict[EntryKey, int] = {}
    for line, fields in table.rows:
        fields.append("")
        row = _usual(values_of(fields), account_ids)
        if row is None:
            problems, row = _checked(dict(zip(columns, fields, strict=False)), account_ids)
            if problems:
                report.error(line, " ; ".join(problems))
                continue
        key = row[0], row[1]
        if key in first_line_of:
            report.error(line, f"reference : « {row[1]} » déjà présente ligne {first_line_of[key]}")
        else:
            first_line_of[key] = line
            yield row


def _usual(values: tuple[str, ...], account_ids: dict[str, int]) -> tuple | None:
    """The row of a usual line (values in ORDER), checked in one go; None for anything
    else (a problem, or a shape this shortcut does not know): _checked then reads the line
    by the full rules, which word the problems (tests/billing: both agree)."""
    number, reference, date, label, kind, amount, period, category, billing_period = values
    if not (
        0 < len(number) <= 32
        and 0 < len(reference) <= 40
        and 0 < len(label) <= 200
        and len(category) <= 40
        and len(billing_period) <= 40
    ):
        return None
    try:
        row = (
            account_ids[number],
            reference,
            parse_date(date),
            label,
            KINDS[kind],  # spelt exactly as a key; other spellings: _checked
            parse_amount_cents(amount),
            parse_month(period) if period else None,
            category,
            billing_period,
        )
    except (KeyError, ValueError):
        return None
    if row[4] == LedgerEntry.Kind.PAYMENT and row[5] > 0:
        return None
    if row[4] == LedgerEntry.Kind.REFUND and row[5] < 0:
        return None
    return row


def _checked(values: dict[str, str], account_ids: dict[str, int]) -> tuple[list[str], tuple]:
    """Every problem of the line, in French, and its row when there is none."""
    r = RowReader(values)
    number = r.text("compte", 32)
    account_id = account_ids.get(number)
    if number and account_id is None:
        r.problems.append(
            f"compte : « {number} » inconnu (importez d'abord le fichier des comptes)"
        )
    row = (
        account_id,
        r.text("reference", 40),
        r.date("date"),
        r.text("libelle", 200),
        r.choice("type", KINDS),
        r.amount_cents("montant"),
        r.month("periode", required=False),
        r.text("rubrique", 40, required=False),
        r.text("periode_facture", 40, required=False),
    )
    kind, amount = row[4], row[5]
    if kind == LedgerEntry.Kind.PAYMENT and amount is not None and amount > 0:
        r.problems.append("montant : un paiement est négatif (somme portée au crédit du locataire)")
    # The payments export counts a refund as money received (negative); posted with that
    # sign here, it would credit the tenant instead of making the sum owed again.
    if kind == LedgerEntry.Kind.REFUND and amount is not None and amount < 0:
        r.problems.append(
            "montant : un remboursement est positif (somme de nouveau due par le locataire)"
        )
    return r.problems, row


def _states(row: tuple, period: datetime.date) -> bool:
    """Whether an entry (account id, reference, *FIELDS) is part of what the month's
    notice states: one of its lines, or part of the balance it carries over."""
    _account, _reference, date, _label, kind, _amount, entry_period, *_rest = row
    if kind != LedgerEntry.Kind.PAYMENT and (entry_period or date.replace(day=1)) <= period:
        return True
    return date < period
