"""Export to the ERP: batches of confirmed payments and of the money given back on them
(refunds, cancellations), each exported once, and their CSV like the ERP's own files
(docs/payments.md); the API serves the same lines."""

import datetime
import io
from typing import TypedDict

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

import audit
from billing.money import decimal_comma
from core.csv import safe_cell, write_rows
from landlords.models import Landlord
from payments.lifecycle import CANCELLATION_LABEL, PAYMENT_LABEL, REFUND_LABEL, State
from payments.models import Payment, PaymentEvent, PaymentExport, Reversal

# The line's `type`: what the ERP posts (docs/imports.md), one word per kind of money move.
PAYMENT_TYPE = "paiement"
REVERSAL_TYPES = {
    Reversal.Kind.REFUND: "remboursement",
    Reversal.Kind.CANCELLATION: "annulation",
}
REVERSAL_LABELS = {
    Reversal.Kind.REFUND: REFUND_LABEL,
    Reversal.Kind.CANCELLATION: CANCELLATION_LABEL,
}


def export_confirmed_payments(landlord: Landlord, channel: str) -> PaymentExport | None:
    """A new batch of the confirmed payments, refunds and cancellations not yet exported
    (None when there are none).

    Under the landlord's row lock: two exports run one after the other, and the second finds
    nothing left, so each payment and each reversal goes out exactly once."""
    with transaction.atomic():
        Landlord.objects.select_for_update().get(pk=landlord.pk)
        payments = list(
            Payment.objects.filter(account__landlord=landlord, state=State.PAID, export=None)
            .order_by("confirmed_at", "pk")
            .values_list("pk", flat=True)
        )
        reversals = list(
            Reversal.objects.filter(payment__account__landlord=landlord, export=None).values_list(
                "pk", flat=True
            )
        )
        if not payments and not reversals:
            return None
        last = PaymentExport.objects.filter(landlord=landlord).aggregate(last=Max("number"))
        export = PaymentExport.objects.create(
            landlord=landlord, number=(last["last"] or 0) + 1, channel=channel
        )
        Payment.objects.filter(pk__in=payments).update(export=export)
        Reversal.objects.filter(pk__in=reversals).update(export=export)
        PaymentEvent.objects.bulk_create(
            PaymentEvent(
                payment_id=pk,
                landlord=landlord,
                kind=PaymentEvent.Kind.EXPORTED,
                result=f"lot {export.number} ({channel})",
            )
            for pk in payments
        )
    return export


class ExportLine(TypedDict):
    lot: int
    compte: str
    reference: str
    date: datetime.date
    heure: datetime.time
    montant_cents: int
    libelle: str
    prestataire: str
    transaction: str
    type: str
    paiement: str


def export_lines(export: PaymentExport) -> list[ExportLine]:
    """The batch's payments, then its refunds and cancellations (negative amounts, their own
    reference, `type` saying which, `paiement` the payment they give back on), as the ERP reads
    them (docs/payments.md), every text formula-safe (core.csv) for the CSV and the API."""
    lines: list[ExportLine] = []
    for payment in export.payments.select_related("account").order_by("confirmed_at", "pk"):
        confirmed = timezone.localtime(payment.confirmed_at)
        lines.append(
            {
                "lot": export.number,
                "compte": safe_cell(payment.account.number),
                "reference": safe_cell(payment.reference),
                "date": confirmed.date(),
                "heure": confirmed.time().replace(microsecond=0),
                "montant_cents": payment.amount_cents,
                "libelle": safe_cell(PAYMENT_LABEL),
                "prestataire": safe_cell(payment.backend),
                "transaction": safe_cell(payment.provider_transaction_id),
                "type": PAYMENT_TYPE,
                "paiement": safe_cell(payment.reference),
            }
        )
    reversals = export.reversals.select_related("payment__account").order_by("created_at", "pk")
    for reversal in reversals:
        payment = reversal.payment
        recorded = timezone.localtime(reversal.created_at)
        lines.append(
            {
                "lot": export.number,
                "compte": safe_cell(payment.account.number),
                "reference": safe_cell(reversal.reference),
                "date": recorded.date(),
                "heure": recorded.time().replace(microsecond=0),
                "montant_cents": -reversal.amount_cents,
                "libelle": safe_cell(REVERSAL_LABELS[Reversal.Kind(reversal.kind)]),
                "prestataire": safe_cell(payment.backend),
                "transaction": safe_cell(reversal.provider_transaction_id),
                "type": REVERSAL_TYPES[Reversal.Kind(reversal.kind)],
                "paiement": safe_cell(payment.reference),
            }
        )
    return lines


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
    "type",
    "paiement",
]


def batch_csv(export: PaymentExport) -> str:
    buffer = io.StringIO()
    rows: list[list[object]] = [list(CSV_COLUMNS)]
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
                line["type"],
                line["paiement"],
            ]
        )
    write_rows(buffer, rows)
    return buffer.getvalue()


# PaymentExport.channel of the batches exported from the espace agence.
STAFF_CHANNEL = "espace_agence"


def export_new_batch(landlord: Landlord, *, request: HttpRequest) -> PaymentExport | None:
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


def reexport_batch(export: PaymentExport, *, request: HttpRequest) -> str:
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
