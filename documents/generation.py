"""The month's rent notices for every account, generated in the background.

`manage.py generate_notices --period 2026-11` queues one task per chunk of accounts;
each task renders its notices with this process's Typst compiler (documents/rendering.py)
and stores one PDF per notice, BATCH_PAGES at a time: the files, then their rows in one
INSERT and one transaction (documents.notices.save_notice_pdfs). A notice already stored
is skipped, so re-running after an interruption does only what is left.

Only closed months have notices (billing/periods.py): an account whose landlord has not
closed the month is not counted. A notice "stored" is one of the closing's version (or
the ERP's): after a corrective import closed the month again, the next run issues the
new version and keeps the earlier ones.
"""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q

from billing import statement
from billing.models import LedgerEntry, LedgerPeriod
from documents import services
from documents.models import RentNotice
from documents.rendering import renderer
from tenancies.models import TenantAccount

CHUNK_SIZE = 500  # accounts per task
BATCH_PAGES = 50  # notices rendered before they are stored, in one transaction


def billed_account_ids(period: datetime.date, landlord=None):
    """Accounts with something billed for `period`, closed by their landlord: those that
    get a notice."""
    entries = LedgerEntry.objects.exclude(kind=LedgerEntry.Kind.PAYMENT).filter(
        Q(period=period)
        | Q(period__isnull=True, date__gte=period, date__lt=statement.add_months(period, 1))
    )
    entries = entries.filter(account__landlord__ledger_periods__period=period)
    if landlord is not None:
        entries = entries.filter(account__landlord=landlord)
    return entries.values_list("account_id", flat=True).distinct()


def _of_closing_version(period: datetime.date):
    """Notices of the month's current version (or the ERP's)."""
    return Q(source=RentNotice.Source.IMPORTED) | Q(
        Exists(
            LedgerPeriod.objects.filter(
                landlord=OuterRef("account__landlord"), period=period, version=OuterRef("version")
            )
        )
    )


def stored_notice_account_ids(period: datetime.date, landlord=None):
    notices = RentNotice.objects.filter(_of_closing_version(period), period=period).exclude(pdf="")
    if landlord is not None:
        notices = notices.filter(account__landlord=landlord)
    return notices.values_list("account_id", flat=True)


def status(period: datetime.date, landlord=None) -> tuple[int, int]:
    """(notices stored, notices expected) for the month."""
    billed = set(billed_account_ids(period, landlord))
    done = billed & set(stored_notice_account_ids(period, landlord))
    return len(done), len(billed)


def pending_account_ids(period: datetime.date, landlord=None) -> list[int]:
    billed = set(billed_account_ids(period, landlord))
    return sorted(billed - set(stored_notice_account_ids(period, landlord)))


def chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK_SIZE] for start in range(0, len(ids), CHUNK_SIZE)]


def _entries_by_account(account_ids, period) -> dict[int, list[LedgerEntry]]:
    """What each notice needs: everything before the month and the month's own lines."""
    following = statement.add_months(period, 1)
    by_account = defaultdict(list)
    for entry in (
        LedgerEntry.objects.filter(account_id__in=account_ids)
        .filter(Q(date__lt=following) | Q(period=period))
        .order_by("account_id", "date", "reference", "pk")
    ):
        by_account[entry.account_id].append(entry)
    return by_account


def generate_chunk(account_ids: list[int], period: datetime.date) -> int:
    """Render and store the notices of these accounts not stored yet; how many were."""
    stored = set(
        RentNotice.objects.filter(
            _of_closing_version(period), account_id__in=account_ids, period=period
        )
        .exclude(pdf="")
        .values_list("account_id", flat=True)
    )
    todo = [pk for pk in account_ids if pk not in stored]
    if not todo:
        return 0
    accounts = (
        TenantAccount.objects.filter(pk__in=todo)
        .select_related("landlord", "agency")
        .prefetch_related("leases__signatories")
        .order_by("landlord_id", "number")
    )
    closings = {c.landlord_id: c for c in LedgerPeriod.objects.filter(period=period)}
    issued = {
        n.account_id: n
        for n in RentNotice.objects.filter(
            _of_closing_version(period), account_id__in=todo, period=period
        )
    }
    entries = _entries_by_account(todo, period)
    by_landlord = defaultdict(list)
    for account in accounts:
        closing = closings.get(account.landlord_id)
        if closing is None:
            continue  # not closed: no notice yet
        notice = issued.get(account.pk)
        if notice is None:
            facts = services.notice_facts(account, entries[account.pk], period, closing)
            if facts is None:
                continue
            notice = services.new_notice(account, period, facts)
        notice.account = account
        by_landlord[account.landlord].append(notice)
    done = 0
    for landlord, notices in by_landlord.items():
        for start in range(0, len(notices), BATCH_PAGES):
            batch = notices[start : start + BATCH_PAGES]
            pdfs = renderer().render_pdfs(
                landlord=landlord,
                kind="notice",
                items=[
                    {
                        "title": services.notice_title(notice.period),
                        "doc": services.notice_doc(notice),
                    }
                    for notice in batch
                ],
            )
            done += services.save_notice_pdfs(list(zip(batch, pdfs, strict=True)))
    return done
