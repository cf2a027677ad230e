"""A month closed again (billing.periods.period_reclosed): its notices' new version.

The earlier versions stay (downloadable, marked "remplacée" in Mes documents). Each person
who had downloaded the latest earlier version of an account's notice is told by email,
once; the new versions are queued for generation (`documents.tasks`), and any of them is
issued on its first download anyway.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import audit
from billing import vocabulary
from billing.models import LedgerPeriod
from documents.facts import of_month
from documents.models import NoticeDownload, RentNotice
from notifications.emails import send_templated_email


def record_download(notice: RentNotice, user) -> None:
    """Remember who opened a generated notice (told when a new version replaces it)."""
    if notice.source != RentNotice.Source.GENERATED or not user.is_authenticated:
        return
    NoticeDownload.objects.get_or_create(notice=notice, user=user)


def replaced_downloads(closing: LedgerPeriod):
    """The downloads of each account's latest notice older than the closing's version."""
    older = RentNotice.objects.filter(
        account__landlord=closing.landlord,
        period=closing.period,
        source=RentNotice.Source.GENERATED,
        version__lt=closing.version,
    ).order_by("account_id", "-version")
    latest_ids, seen = [], set()
    for notice_id, account_id in older.values_list("pk", "account_id"):
        if account_id not in seen:
            seen.add(account_id)
            latest_ids.append(notice_id)
    return NoticeDownload.objects.filter(
        notice_id__in=latest_ids, notified_at__isnull=True
    ).select_related("notice__account__landlord", "user")


def tell_downloaders(closing: LedgerPeriod) -> int:
    """Email each downloader of a replaced notice; how many were told."""
    told = 0
    today = timezone.localdate()
    with transaction.atomic():
        for download in replaced_downloads(closing).select_for_update(of=("self",)):
            account = download.notice.account
            landlord = account.landlord
            position = vocabulary.account_position(account, today)
            send_templated_email(
                landlord=landlord,
                to=download.user.email,
                template="documents/notice_version",
                context={
                    "account": account,
                    "of_month": of_month(closing.period),
                    "version": closing.version,
                    "issued_on": closing.closed_on,
                    "url": landlord.public_url(reverse("documents", args=[account.pk])),
                    "position": position.sentence,
                },
            )
            download.notified_at = timezone.now()
            download.save(update_fields=["notified_at"])
            audit.record(
                "documents.notice_version_notified",
                landlord=landlord,
                account=account,
                subject_user=download.user,
                target=download.notice,
                detail={"mois": f"{closing.period:%Y-%m}", "version": closing.version},
            )
            told += 1
    return told
