"""The confirmed payments as the ERP reads them: CSV like the ERP's own files (docs/payments.md)."""

import csv
import io

import audit
from billing.money import decimal_comma
from payments.models import PaymentExport
from payments.services import export_confirmed_payments, export_lines

# PaymentExport.channel of the batches exported from the espace agence.
STAFF_CHANNEL = "espace_agence"

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


def export_new_batch(landlord, *, request) -> PaymentExport | None:
    """A staff member exports the confirmed payments not yet exported (a new batch, or None
    when there is nothing new); the journal keeps who did it."""
    export = export_confirmed_payments(landlord, channel=STAFF_CHANNEL)
    if export is not None:
        audit.record(
            "payments.exported",
            request=request,
            landlord=landlord,
            target=export,
            detail={"lot": export.number, "paiements": export.payments.count()},
        )
    return export


def reexport_batch(export: PaymentExport, *, request) -> str:
    """A past batch's CSV again, as it was exported; the journal keeps who downloaded it."""
    content = batch_csv(export)
    audit.record(
        "payments.reexported",
        request=request,
        landlord=export.landlord,
        target=export,
        detail={"lot": export.number},
    )
    return content
