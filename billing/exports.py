"""The account's history as a spreadsheet, in the French format of the ERP files."""

from collections.abc import Iterator

from billing.models import LedgerEntry
from billing.money import decimal_comma
from billing.statement import history

HEADER = ["Date", "Libellé", "Type", "Mois concerné", "À payer", "En votre faveur", "Solde"]


def statement_rows(entries: list[LedgerEntry]) -> Iterator[list[str]]:
    """A header, then one row per entry, oldest first, with the running balance
    (written with core.csv.write_rows, which makes every cell formula-safe)."""
    yield HEADER
    for month in history(entries):
        for line in month.lines:
            entry = line.entry
            owed = entry.amount_cents > 0
            yield [
                f"{entry.date:%d/%m/%Y}",
                entry.label,
                entry.get_kind_display(),
                f"{entry.period:%m/%Y}" if entry.period else "",
                decimal_comma(entry.amount_cents) if owed else "",
                "" if owed else decimal_comma(-entry.amount_cents),
                decimal_comma(line.balance_cents),
            ]
