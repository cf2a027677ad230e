"""Receipts: a quittance for a fully paid month only, a reçu for a partly paid one."""

import datetime
from dataclasses import dataclass

from billing import statement
from documents.facts import DocumentUnavailable, month_name, parties, today
from documents.issued import document_title, issue_document
from documents.models import IssuedDocument
from tenancies.models import TenantAccount


@dataclass
class MonthReceipt:
    period: datetime.date
    kind: str  # IssuedDocument.Kind.QUITTANCE or RECEIPT
    settlement: statement.Settlement

    @property
    def label(self) -> str:
        return document_title(self.kind, self.period)

    @property
    def of_label(self) -> str:
        """ "de la quittance de loyer d'octobre 2026", for "PDF …" links."""
        article = "de la" if self.kind == IssuedDocument.Kind.QUITTANCE else "du"
        return f"{article} {self.label[0].lower()}{self.label[1:]}"


def month_receipts(entries, due_day: int) -> list[MonthReceipt]:
    """The receipt each month can have, newest first: a quittance only when fully paid.

    A month whose notice adds up to nothing to pay (aid above rent) has no payment to
    acknowledge, hence no receipt; a month with no payment has none either.
    """
    receipts = []
    for settlement in statement.settlements(entries, due_day):
        if settlement.charged_cents > 0 and settlement.fully_paid:
            receipts.append(
                MonthReceipt(settlement.period, IssuedDocument.Kind.QUITTANCE, settlement)
            )
        elif settlement.partly_paid:
            receipts.append(
                MonthReceipt(settlement.period, IssuedDocument.Kind.RECEIPT, settlement)
            )
    return sorted(receipts, key=lambda receipt: receipt.period, reverse=True)


def issue_receipt(account: TenantAccount, period: datetime.date) -> IssuedDocument:
    """The month's quittance (issued once, then the same one) or its reçu.

    A reçu is issued again only when the amount received for the month has changed.
    """
    quittance = IssuedDocument.objects.filter(
        account=account, kind=IssuedDocument.Kind.QUITTANCE, period=period
    ).first()
    if quittance:
        return quittance
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    receipt = next((r for r in month_receipts(entries, due_day) if r.period == period), None)
    if receipt is None:
        raise DocumentUnavailable(
            f"Aucun paiement n'est enregistré pour {month_name(period)} : "
            "ni quittance ni reçu ne peuvent être délivrés pour ce mois."
        )
    settlement = receipt.settlement
    on = today()
    facts = {**parties(account, on), "kind": receipt.kind, "period": period.isoformat()}
    facts["issued_on"] = on.isoformat()
    if receipt.kind == IssuedDocument.Kind.QUITTANCE:
        stated = statement.billed_notice(entries, period, due_day)
        facts |= {
            "rent_cents": stated.rent_cents,
            "charges_cents": stated.charges_cents,
            "aid_cents": stated.aid_cents,
            "tenant_share_cents": stated.total_cents,
            "paid_on": settlement.paid_on.isoformat() if settlement.paid_on else None,
        }
    else:
        amounts = {
            "charged_cents": settlement.charged_cents,
            "paid_cents": settlement.paid_cents,
            "remaining_cents": settlement.remaining_cents,
            "payments": [
                {"date": day.isoformat(), "cents": cents} for day, cents in settlement.payments
            ],
        }
        # The same reçu only if it states the same amounts (what the month costs can
        # change too: an adjustment for the month).
        for earlier in IssuedDocument.objects.filter(
            account=account, kind=IssuedDocument.Kind.RECEIPT, period=period
        ).order_by("-issued_at"):
            if all(earlier.facts.get(key) == value for key, value in amounts.items()):
                return earlier
        facts |= amounts
    return issue_document(account, receipt.kind, period, facts)
