"""Receipts: a quittance for a fully paid month only, a reçu for a partly paid one."""

import datetime
from dataclasses import dataclass

from billing import statement
from documents.facts import DocumentUnavailable, month_name, parties, today
from documents.issued import document_title, find_issued, fingerprint, issue_document
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


def _month_receipt(entries, due_day: int, period: datetime.date) -> MonthReceipt:
    receipt = next((r for r in month_receipts(entries, due_day) if r.period == period), None)
    if receipt is None:
        raise DocumentUnavailable(
            f"Aucun paiement n'est enregistré pour {month_name(period)} : "
            "ni quittance ni reçu ne peuvent être délivrés pour ce mois."
        )
    return receipt


def receipt_content(receipt: MonthReceipt, entries, due_day: int) -> dict:
    """What the month's quittance or reçu states of money: what makes it this document."""
    settlement = receipt.settlement
    if receipt.kind == IssuedDocument.Kind.QUITTANCE:
        stated = statement.billed_notice(entries, receipt.period, due_day)
        return {
            "rent_cents": stated.rent_cents,
            "charges_cents": stated.charges_cents,
            "aid_cents": stated.aid_cents,
            "tenant_share_cents": stated.total_cents,
            "paid_on": settlement.paid_on.isoformat() if settlement.paid_on else None,
        }
    return {
        "charged_cents": settlement.charged_cents,
        "paid_cents": settlement.paid_cents,
        "remaining_cents": settlement.remaining_cents,
        "payments": [
            {"date": day.isoformat(), "cents": cents} for day, cents in settlement.payments
        ],
    }


def receipt_fingerprint(receipt: MonthReceipt, entries, due_day: int) -> str:
    return fingerprint(receipt.kind, receipt.period, receipt_content(receipt, entries, due_day))


@dataclass
class CurrentReceipt:
    """The month's receipt as the ledger states it today, and what identifies its content."""

    receipt: MonthReceipt
    content: dict
    fingerprint: str


def _quittance(account: TenantAccount, period: datetime.date) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        account=account, kind=IssuedDocument.Kind.QUITTANCE, period=period
    ).first()


def _current_receipt(account: TenantAccount, period: datetime.date) -> CurrentReceipt:
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    receipt = _month_receipt(entries, due_day, period)
    content = receipt_content(receipt, entries, due_day)
    return CurrentReceipt(receipt, content, fingerprint(receipt.kind, period, content))


def existing_receipt(account: TenantAccount, period: datetime.date) -> IssuedDocument | None:
    """The month's quittance, or the reçu stating what the ledger says today: what the
    GET shows (None: the page offers to issue it)."""
    quittance = _quittance(account, period)
    if quittance:
        return quittance
    current = _current_receipt(account, period)
    return find_issued(account, current.receipt.kind, period, current.fingerprint)


def issue_receipt(account: TenantAccount, period: datetime.date) -> IssuedDocument:
    """The month's quittance (issued once, then the same one) or its reçu (POST).

    A reçu is issued again only when what it states has changed (the payments received
    for the month, or what the month costs): the same request twice, or two at once,
    gives the same document (issued.issue_document)."""
    quittance = _quittance(account, period)
    if quittance:
        return quittance
    current = _current_receipt(account, period)
    receipt = current.receipt
    existing = find_issued(account, receipt.kind, period, current.fingerprint)
    if existing:
        return existing
    on = today()
    facts = {**parties(account, on), "kind": receipt.kind, "period": period.isoformat()}
    facts["issued_on"] = on.isoformat()
    facts |= current.content
    return issue_document(account, receipt.kind, period, facts, current.fingerprint)
