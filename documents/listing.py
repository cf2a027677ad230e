"""Mes documents, the list: what exists, what is on its way, and what is out of date.

Rules (docs/documents.md):
- a month's notice is listed once the month is closed; before, the list says when it is
  expected (billing.periods.not_yet_closed_message), for every billed month not closed and
  for the current month;
- a month closed again lists its current version and the earlier ones, marked replaced;
- a document whose content is older than the ledger it claims to reflect says so: a
  notice whose month's lines or carried-over balance changed since it was issued, a
  quittance or reçu whose amounts are no longer the month's.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from billing import periods, statement
from documents.certificates import certificate_refusal, existing_certificate
from documents.facts import DocumentUnavailable, today
from documents.models import IssuedDocument, RentNotice
from documents.notices import states_the_ledger
from documents.receipts import MonthReceipt, _month_receipt, month_receipts, receipt_fingerprint
from tenancies.models import TenantAccount


@dataclass
class NoticeRow:
    period: datetime.date
    version: int | None = None  # the closing's (None: imported)
    issued_on: datetime.date | None = None
    notice: RentNotice | None = None  # None until its first download
    imported: bool = False
    earlier: list[RentNotice] = field(default_factory=list)
    # The ledger changed for this month since the notice was issued, without a new closing.
    outdated: bool = False


@dataclass
class ReceiptRow:
    receipt: MonthReceipt
    document: IssuedDocument | None  # the one stating today's amounts, if issued
    # Issued earlier for the month, stating amounts the ledger no longer has.
    outdated: list[IssuedDocument] = field(default_factory=list)
    # The quittance (issued once) states amounts the ledger no longer has.
    current_outdated: bool = False


def notice_rows(account: TenantAccount, entries, on: datetime.date):
    """(rows newest first, messages for months not closed yet, newest first)."""
    landlord = account.landlord
    due_day = landlord.rent_due_day
    closings = periods.closings(landlord)
    by_period = defaultdict(list)
    for notice in account.rent_notices.order_by("period", "-version"):
        by_period[notice.period].append(notice)
    billed = set(statement.notice_periods(entries))
    rows, pending = [], []
    current_month = statement.month_start(on)
    waiting = {p for p in billed if p not in closings and p <= current_month}
    if current_month not in closings and not by_period.get(current_month):
        waiting.add(current_month)
    for period in sorted(billed | set(by_period) | waiting, reverse=True):
        notices = by_period.get(period, [])
        latest = notices[0] if notices else None
        if latest is not None and latest.source == RentNotice.Source.IMPORTED:
            rows.append(NoticeRow(period, notice=latest, imported=True))
            continue
        closing = closings.get(period)
        if closing is None:
            if period in waiting:
                pending.append(periods.not_yet_closed_message(landlord, period, on))
            continue
        if period not in billed and latest is None:
            continue  # closed, but nothing billed for this account
        current = latest if latest is not None and latest.version >= closing.version else None
        rows.append(
            NoticeRow(
                period,
                version=closing.version,
                issued_on=closing.closed_on,
                notice=current,
                earlier=[n for n in notices if n.version < closing.version],
                outdated=current is not None and not states_the_ledger(current, entries, due_day),
            )
        )
    return rows, pending


def receipt_rows(account: TenantAccount, entries) -> tuple[list[ReceiptRow], list]:
    """(rows newest first, documents of months that have no receipt any more)."""
    due_day = account.landlord.rent_due_day
    issued = defaultdict(list)
    for document in account.issued_documents.exclude(kind=IssuedDocument.Kind.CERTIFICATE).order_by(
        "-issued_at"
    ):
        issued[document.period].append(document)
    rows = []
    receipts = month_receipts(entries, due_day)
    for receipt in receipts:
        documents = issued.get(receipt.period, [])
        quittance = next((d for d in documents if d.kind == IssuedDocument.Kind.QUITTANCE), None)
        fingerprint = receipt_fingerprint(receipt, entries, due_day)
        current = next(
            (d for d in documents if d.kind == receipt.kind and d.fingerprint == fingerprint),
            None,
        )
        if current is None and quittance is not None and receipt.kind == quittance.kind:
            current = quittance  # issued once, given again: marked if its amounts differ
        rows.append(
            ReceiptRow(
                receipt,
                current,
                outdated=[d for d in documents if d is not current],
                current_outdated=current is not None and current.fingerprint != fingerprint,
            )
        )
    with_receipt = {r.period for r in receipts}
    orphans = [d for p, docs in issued.items() if p not in with_receipt for d in docs]
    return rows, orphans


def document_list(account: TenantAccount) -> dict:
    """Everything the list shows (documents/list.html)."""
    entries = statement.ledger(account)
    on = today()
    due_day = account.landlord.rent_due_day
    notices, pending = notice_rows(account, entries, on)
    receipts, orphans = receipt_rows(account, entries)
    refusal = certificate_refusal(entries, due_day, on)
    certificate = None
    if not refusal:
        try:
            certificate = existing_certificate(account)
        except DocumentUnavailable:
            certificate = None
    return {
        "account": account,
        "notice_rows": notices,
        "pending_notices": pending,
        "receipt_rows": receipts,
        "outdated_documents": orphans,
        "certificate_refusal": refusal,
        "certificate": certificate,
    }


def receipt_kind(account: TenantAccount, period: datetime.date) -> str:
    """The month's receipt kind (DocumentUnavailable when it has none)."""
    entries = statement.ledger(account)
    return _month_receipt(entries, account.landlord.rent_due_day, period).kind
