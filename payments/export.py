"""The confirmed payments as the ERP reads them: CSV like the ERP's own files (docs/payments.md)."""

import csv
import io

from billing.money import decimal_comma
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
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in export_lines(export):
        writer.writerow(
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
    return buffer.getvalue()
