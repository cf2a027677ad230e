"""Rent notices (avis d'échéance): one per billed and closed month, from the ledger or the ERP.

A generated notice exists only once its month is closed (billing/periods.py); it is issued
on the closing date, as the closing's version. A month closed again by a corrective import
gets a new version of its notices; the earlier ones stay, downloadable and marked.
"""

import datetime

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing import periods, statement, vocabulary
from billing.models import LedgerPeriod
from documents.facts import (
    DocumentUnavailable,
    _attach_pdf,
    erp_numbers,
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


class NoticeNotYetAvailable(DocumentUnavailable):
    """The month is not closed: its notice does not exist yet (the message says when)."""


def notice_facts(account, entries, period: datetime.date, closing: LedgerPeriod) -> dict | None:
    """What the month's notice states, as of its closing (its issue date and version)."""
    stated = statement.notice(entries, period, account.landlord.rent_due_day)
    if stated is None:
        return None
    on = closing.closed_on
    return {
        **parties(account, on),
        **erp_numbers(account, on),
        "billing_period": ", ".join(
            dict.fromkeys(line.billing_period for line in stated.lines if line.billing_period)
        ),
        "period": period.isoformat(),
        "issued_on": on.isoformat(),
        "version": closing.version,
        "labels": money_labels(stated.previous_balance_cents, stated.amount_due_cents),
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


def money_labels(previous_balance_cents: int, amount_due_cents: int) -> dict:
    """The notice's amounts in words (billing.vocabulary): what the renderer prints."""
    if amount_due_cents < 0:
        note = (
            f"Vous avez {vocabulary.amount_text(amount_due_cents)} : vous n'avez rien à "
            "payer ce mois-ci."
        )
    elif amount_due_cents == 0:
        note = "Votre compte est à jour : vous n'avez rien à payer ce mois-ci."
    else:
        note = ""
    return {
        "previous_balance": vocabulary.balance_text(previous_balance_cents),
        "amount_due": vocabulary.amount_text(max(amount_due_cents, 0)),
        "note": note,
    }


def new_notice(account, period, facts) -> RentNotice:
    return RentNotice(
        account=account,
        period=period,
        version=facts.get("version", 1),
        source=RentNotice.Source.GENERATED,
        previous_balance_cents=facts["previous_balance_cents"],
        total_cents=facts["total_cents"],
        amount_due_cents=facts["amount_due_cents"],
        due_date=facts["due_date"],
        facts=facts,
    )


def not_yet_available(account: TenantAccount, period: datetime.date) -> NoticeNotYetAvailable:
    message = periods.not_yet_closed_message(account.landlord, period, today())
    return NoticeNotYetAvailable(message)


def current_notice(account: TenantAccount, period: datetime.date) -> RentNotice | None:
    """The latest stored version of the month's notice, if any."""
    return RentNotice.objects.filter(account=account, period=period).order_by("-version").first()


def notice_for(
    account: TenantAccount, period: datetime.date, *, version: int | None = None
) -> RentNotice:
    """The month's notice as issued: the ERP's, or the one of the month's closing, created
    from the ledger the first time it is asked for. `version`: an earlier one, as kept.

    Before the month is closed: NoticeNotYetAvailable (nothing is created)."""
    if version is not None:
        found = RentNotice.objects.filter(account=account, period=period, version=version)
        notice = found.first()
        if notice is None:
            raise DocumentUnavailable(
                f"Aucun avis d'échéance {of_month(period)} en version {version}."
            )
        notice.account = account
        return notice
    latest = current_notice(account, period)
    if latest is not None and latest.source == RentNotice.Source.IMPORTED:
        latest.account = account
        return latest
    closing = periods.closing(account.landlord, period)
    if closing is None:
        raise not_yet_available(account, period)
    if latest is not None and latest.version >= closing.version:
        latest.account = account  # already loaded with its landlord
        return latest
    facts = notice_facts(account, statement.ledger(account), period, closing)
    if facts is None:
        raise DocumentUnavailable(f"Aucun avis d'échéance pour {month_name(period)}.")
    try:
        with transaction.atomic():
            notice = new_notice(account, period, facts)
            notice.save()
            return notice
    except IntegrityError:  # created meanwhile by another request or the generation task
        return RentNotice.objects.get(account=account, period=period, version=closing.version)


def notice_title(period: datetime.date) -> str:
    return f"Avis d'échéance {of_month(period)}"


def notice_filename(notice: RentNotice) -> str:
    version = f"-v{notice.version}" if notice.version > 1 else ""
    return f"avis-echeance-{notice.period:%Y-%m}{version}-{notice.account.number}.pdf"


def replacing_closing(notice: RentNotice) -> LedgerPeriod | None:
    """The month's closing that replaced this generated notice (None: it is current)."""
    if notice.source != RentNotice.Source.GENERATED:
        return None
    closing = periods.closing(notice.account.landlord, notice.period)
    return closing if closing is not None and closing.version > notice.version else None


def notice_pdf_url(notice: RentNotice) -> str:
    """The PDF of this very version (the plain month's URL gives the current one)."""
    if notice.source == RentNotice.Source.IMPORTED:
        return reverse("notice_pdf", args=[notice.account_id, notice.period])
    return reverse("notice_version_pdf", args=[notice.account_id, notice.period, notice.version])


def notice_with_pdf(notice: RentNotice) -> RentNotice:
    """The notice with its stored PDF, rendered and stored now if it is the first download."""
    if not notice.pdf:
        pdf = renderer().render_pdf(
            landlord=notice.account.landlord,
            title=notice_title(notice.period),
            kind="notice",
            doc=notice_doc(notice),
        )
        _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
    return notice


def save_notice_pdf(notice: RentNotice, pdf: bytes) -> int:
    """Store a rendered notice (row and file together); 0 if someone stored it first."""
    return save_notice_pdfs([(notice, pdf)])


def save_notice_pdfs(rendered: list[tuple[RentNotice, bytes]]) -> int:
    """Store rendered notices (the month's generation: a batch at a time); how many were.

    The files first, then the new rows in one INSERT and one transaction with their push
    notifications, so a row never points to a missing file. If the storage fails half-way,
    the notices whose files were stored are kept, then the error is raised (the task tries
    again later and skips them). A notice already issued (opened as a page) gets its file
    as on a first download."""
    done = 0
    new: list[tuple[RentNotice, bytes]] = []
    for notice, pdf in rendered:
        if notice.pk is None:
            new.append((notice, pdf))
        else:
            _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
            done += 1
    stored: list[RentNotice] = []
    try:
        for notice, pdf in new:
            notice.pdf.name = store_file(notice.pdf, notice_filename(notice), pdf)
            stored.append(notice)
    finally:
        done += _insert_stored(stored)
    return done


def _insert_stored(notices: list[RentNotice]) -> int:
    """The rows of notices whose files are stored; how many were written. A file whose
    row is not written is deleted: no file is left that no row points to."""
    if not notices:
        return 0
    try:
        with transaction.atomic():
            RentNotice.objects.bulk_create(notices)
            push.notices_available(notices)
        return len(notices)
    except IntegrityError:
        if len(notices) == 1:
            # Created meanwhile by a first download: that one is what was issued (a later
            # run or the download renders it from its own facts).
            _delete_file(notices[0])
            return 0
    except BaseException:
        for notice in notices:
            _delete_file(notice)
        raise
    # One of them was created meanwhile: each on its own, to keep the others.
    inserted = 0
    for index, notice in enumerate(notices):
        try:
            inserted += _insert_stored([notice])
        except BaseException:
            for rest in notices[index + 1 :]:
                _delete_file(rest)
            raise
    return inserted


def _delete_file(notice: RentNotice) -> None:
    if notice.pdf.name:
        default_storage.delete(notice.pdf.name)


def notice_doc(notice: RentNotice) -> dict:
    """The stored facts, with what notices issued before these were added lack (the money
    labels, the version): JSON as the PDF renderer reads it; pages use `for_template`."""
    doc = dict(notice.facts)
    if "labels" not in doc and "amount_due_cents" in doc:
        doc["labels"] = money_labels(doc["previous_balance_cents"], doc["amount_due_cents"])
    doc.setdefault("version", notice.version)
    return doc


def states_the_ledger(notice: RentNotice, entries, due_day: int) -> bool:
    """Whether a generated notice still states what the ledger says of its month (its
    lines, the balance it carries over): False once the ledger changed without a new
    closing (Mes documents says so)."""
    if notice.source != RentNotice.Source.GENERATED:
        return True
    stated = statement.notice(entries, notice.period, due_day)
    if stated is None:
        return False
    facts = notice.facts
    return (
        facts.get("previous_balance_cents") == stated.previous_balance_cents
        and facts.get("total_cents") == stated.total_cents
        and [(line["label"], line["amount_cents"]) for line in facts.get("lines", [])]
        == [(line.label, line.amount_cents) for line in stated.lines]
    )


def notice_periods(entries, notices) -> list[datetime.date]:
    """Every month with a notice (billed in the ledger, or imported), newest first."""
    return sorted(
        set(statement.notice_periods(entries)) | {notice.period for notice in notices},
        reverse=True,
    )
