"""Rent notices (avis d'échéance): one per billed month, from the ledger or the ERP."""

import datetime

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from billing import statement
from documents.facts import (
    DocumentUnavailable,
    _attach_pdf,
    month_name,
    of_month,
    parties,
    store_file,
    today,
)
from documents.models import RentNotice
from documents.rendering import renderer
from notifications import push
from tenancies.models import TenantAccount


def notice_facts(account, entries, period: datetime.date, on: datetime.date) -> dict | None:
    stated = statement.notice(entries, period, account.landlord.rent_due_day)
    if stated is None:
        return None
    return {
        **parties(account, on),
        "period": period.isoformat(),
        "issued_on": on.isoformat(),
        "due_date": stated.due_date.isoformat(),
        "balance_date": stated.balance_date.isoformat(),
        "lines": [
            {"label": line.label, "category": line.category, "amount_cents": line.amount_cents}
            for line in stated.lines
        ],
        "previous_balance_cents": stated.previous_balance_cents,
        "total_cents": stated.total_cents,
        "amount_due_cents": stated.amount_due_cents,
    }


def new_notice(account, period, facts) -> RentNotice:
    return RentNotice(
        account=account,
        period=period,
        source=RentNotice.Source.GENERATED,
        previous_balance_cents=facts["previous_balance_cents"],
        total_cents=facts["total_cents"],
        amount_due_cents=facts["amount_due_cents"],
        due_date=facts["due_date"],
        facts=facts,
    )


def notice_for(account: TenantAccount, period: datetime.date) -> RentNotice:
    """The month's notice as issued, created from the ledger the first time it is asked for."""
    existing = RentNotice.objects.filter(account=account, period=period).first()
    if existing:
        existing.account = account  # already loaded with its landlord
        return existing
    facts = notice_facts(account, statement.ledger(account), period, today())
    if facts is None:
        raise DocumentUnavailable(f"Aucun avis d'échéance pour {month_name(period)}.")
    try:
        with transaction.atomic():
            notice = new_notice(account, period, facts)
            notice.save()
            return notice
    except IntegrityError:  # created meanwhile by another request or the generation task
        return RentNotice.objects.get(account=account, period=period)


def notice_title(period: datetime.date) -> str:
    return f"Avis d'échéance {of_month(period)}"


def notice_filename(notice: RentNotice) -> str:
    return f"avis-echeance-{notice.period:%Y-%m}-{notice.account.number}.pdf"


def notice_with_pdf(notice: RentNotice) -> RentNotice:
    """The notice with its stored PDF, rendered and stored now if it is the first download."""
    if not notice.pdf:
        pdf = renderer().render_pdf(
            landlord=notice.account.landlord,
            title=notice_title(notice.period),
            kind="notice",
            doc=notice.facts,
        )
        _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
    return notice


def save_notice_pdf(notice: RentNotice, pdf: bytes) -> int:
    """Store a rendered notice (row and file together); 0 if someone stored it first."""
    if notice.pk is not None:
        _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
        return 1
    notice.pdf.name = store_file(notice.pdf, notice_filename(notice), pdf)
    try:
        with transaction.atomic():
            notice.save()
            push.notice_available(notice)
        return 1
    except IntegrityError:
        # Created meanwhile by a first download: that one is what was issued (a later
        # run or the download renders it from its own facts).
        default_storage.delete(notice.pdf.name)
        return 0
    except BaseException:
        default_storage.delete(notice.pdf.name)  # the row was not written: nor is the file
        raise


def notice_periods(entries, notices) -> list[datetime.date]:
    """Every month with a notice (billed in the ledger, or imported), newest first."""
    return sorted(
        set(statement.notice_periods(entries)) | {notice.period for notice in notices},
        reverse=True,
    )
