"""The confirmed payments as the ERP reads them: CSV like the ERP's own files (docs/payments.md)."""

import io

from billing.money import decimal_comma
from core.csv import write_rows
from payments.models import PaymentExport
from payments.services import export_lines

CSV_COLUMNS = [
    "lot",
    "compte",
    "reference",
    "date",
    "heure",
    "montant",
    "libelle",
    "prestataire",
    "transaction",
]


def batch_csv(export: PaymentExport) -> str:
    buffer = io.StringIO()
    rows = [CSV_COLUMNS]
    for line in export_lines(export):
        rows.append(
            [
                line["lot"],
                line["compte"],
                line["reference"],
                f"{line['date']:%d/%m/%Y}",
                f"{line['heure']:%H:%M:%S}",
                decimal_comma(line["montant_cents"]),
                line["libelle"],
                line["prestataire"],
                line["transaction"],
            ]
        )
    write_rows(buffer, rows)
    return buffer.getvalue()
