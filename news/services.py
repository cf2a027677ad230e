"""The rules of actualités: who reads which, publishing and scheduling, emails, unsubscribing.

A tenant sees the published actualités (publication date reached) of the host's landlord
meant for all its tenants, for the agency of one of their accounts there, or for the
residence (address) of one of their current leases there. Those who consented to the
landlord's news (accounts.NewsConsent, asked at sign-up and in Mes infos) also get each one
by email once, when it is published, with a one-click unsubscribe (RFC 8058).
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

import audit
from accounts.models import NewsConsent, User
from accounts.profile import set_news_consent
from landlords.models import Landlord
from news import latest
from news.models import NewsItem, NewsRead, residence_key
from notifications.emails import _render_text, landlord_from_address, queue_email
from tenancies.models import Lease, TenantAccount

UNSUBSCRIBE_SALT = "news.unsubscribe"


# --- What a tenant reads -----------------------------------------------------------------


def _tenant_reach(user, landlord, today: datetime.date, accounts=None, leases=None):
    if accounts is None:
        accounts = user.accounts().filter(landlord=landlord)
        agencies = set(accounts.exclude(agency=None).values_list("agency_id", flat=True))
    else:  # the page's list of the tenant's accounts here: no query for the agencies
        agencies = {account.agency_id for account in accounts if account.agency_id is not None}
        accounts = [account.pk for account in accounts]
    if leases is None:
        rows = (
            Lease.objects.filter(account__in=accounts)
            .current(today)
            .values_list("address", "postal_code", "city")
        )
    else:  # the current leases of those accounts, read by the page
        rows = [(lease.address, lease.postal_code, lease.city) for lease in leases]
    return agencies, {residence_key(*row) for row in rows}


def for_tenant(
    user, landlord: Landlord, now=None, *, accounts=None, leases=None
) -> QuerySet[NewsItem]:
    """The actualités this signed-in tenant may read at this landlord, newest first
    (`accounts`: the tenant's accounts at this landlord, and `leases`: their current leases,
    when the caller has them)."""
    now = now or timezone.now()
    agencies, residences = _tenant_reach(user, landlord, timezone.localdate(now), accounts, leases)
    return _for_reach(landlord, agencies, residences, now)


def _for_reach(landlord: Landlord, agencies, residences, now) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(
        Q(audience=NewsItem.Audience.LANDLORD)
        | Q(audience=NewsItem.Audience.AGENCY, agency_id__in=agencies)
        | Q(audience=NewsItem.Audience.RESIDENCE, residence__in=residences),
        landlord=landlord,
        state=NewsItem.State.PUBLISHED,
        publish_at__lte=now,
    ).order_by("-publish_at", "-pk")


def with_read_marks(user, items) -> list[dict]:
    items = list(items)
    read = set(NewsRead.objects.filter(user=user, news__in=items).values_list("news_id", flat=True))
    return [{"item": item, "new": item.pk not in read} for item in items]


def latest_with_read_marks(
    user, landlord: Landlord, count: int, *, accounts=None, leases=None
) -> list[dict]:
    """The `count` latest actualités of `for_tenant`, each marked new or not, from the
    cache (news/latest.py) when another page read them less than a minute ago."""
    now = timezone.now()
    agencies, residences = _tenant_reach(user, landlord, timezone.localdate(now), accounts, leases)
    return latest.latest(
        user, landlord, count, agencies, residences,
        lambda: _for_reach(landlord, agencies, residences, now),
    )  # fmt: skip


def mark_read(user, items) -> None:
    NewsRead.objects.bulk_create(
        [NewsRead(news=item, user=user) for item in items], ignore_conflicts=True
    )
    latest.forget_reads(user.pk)


# --- What staff write --------------------------------------------------------------------


def residences_for(member) -> list[str]:
    """The residences (addresses of current leases) a staff member may write to."""
    from staff.access import visible_accounts

    leases = Lease.objects.filter(account__in=visible_accounts(member)).current()
    rows = leases.values_list("address", "postal_code", "city").distinct()
    return sorted({residence_key(*row) for row in rows})


def for_staff(member) -> QuerySet[NewsItem]:
    """The actualités a staff member sees: the landlord's; an agent, their agencies' and
    their agencies' residences' only."""
    items = NewsItem.objects.filter(landlord=member.landlord).select_related("agency", "author")
    if member.is_agent:
        items = items.filter(
            Q(audience=NewsItem.Audience.AGENCY, agency__in=list(member.agencies.all()))
            | Q(audience=NewsItem.Audience.RESIDENCE, residence__in=residences_for(member))
        )
    return items


def save(item: NewsItem, *, request, created: bool) -> NewsItem:
    if item.state == NewsItem.State.PUBLISHED and item.publish_at is None:
        item.publish_at = timezone.now()  # a published item's date emptied: it stays out
    item.save()
    audit.record(
        "news.created" if created else "news.updated",
        request=request,
        target=item,
        detail={"titre": item.title},
    )
    return item


def publish(item: NewsItem, *, request, at: datetime.datetime | None = None) -> NewsItem:
    """Publish now, or at `at` (scheduled); the emails leave at the publication time."""
    now = timezone.now()
    with transaction.atomic():
        item.state = NewsItem.State.PUBLISHED
        item.publish_at = at if at and at > now else now
        item.save(update_fields=["state", "publish_at", "updated_at"])
        scheduled = item.publish_at > now
        audit.record(
            "news.scheduled" if scheduled else "news.published",
            request=request,
            target=item,
            detail={"titre": item.title, "le": item.publish_at.isoformat()},
        )
        task = send_news_emails
        if scheduled and task.get_backend().supports_defer:
            task = task.using(run_after=item.publish_at)
        task.enqueue(item.pk)
    return item


def unpublish(item: NewsItem, *, request) -> NewsItem:
    item.state = NewsItem.State.WITHDRAWN
    item.save(update_fields=["state", "updated_at"])
    audit.record("news.unpublished", request=request, target=item, detail={"titre": item.title})
    return item


# --- Emails ------------------------------------------------------------------------------


def _residence_of_lease():
    return Concat("address", Value(", "), "postal_code", Value(" "), "city")


def accounts_reached(item: NewsItem) -> QuerySet[TenantAccount]:
    accounts = TenantAccount.objects.filter(landlord=item.landlord)
    if item.audience == NewsItem.Audience.AGENCY:
        accounts = accounts.filter(agency=item.agency)
    elif item.audience == NewsItem.Audience.RESIDENCE:
        leases = (
            Lease.objects.current()
            .annotate(address_key=_residence_of_lease())
            .filter(address_key=item.residence)
        )
        accounts = accounts.filter(leases__in=leases)
    return accounts


def recipients(item: NewsItem) -> QuerySet[User]:
    """The logins reached by the actualité whose latest consent at this landlord is yes,
    with a verified email (one query, whatever the number of tenants)."""
    latest_consent = (
        NewsConsent.objects.filter(user=OuterRef("pk"), landlord=item.landlord)
        .order_by("-changed_at", "-pk")
        .values("granted")[:1]
    )
    verified = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    leases = Lease.objects.filter(account__in=accounts_reached(item)).current()
    return (
        User.objects.filter(is_active=True, accesses__signatory__lease__in=leases)
        .annotate(consents=Subquery(latest_consent))
        .filter(consents=True)
        .filter(Exists(verified))
        .distinct()
        .order_by("pk")
    )


def unsubscribe_token(user, landlord: Landlord) -> str:
    """Single purpose (its salt), bound to the landlord and the login; never expires, so
    that an old email's link still works."""
    return signing.dumps({"u": user.pk, "l": landlord.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_token(token: str, landlord: Landlord) -> User | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("l") != landlord.pk:
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def unsubscribe(user, landlord: Landlord, *, request) -> None:
    """No more actualités by email from this landlord: a new consent row, journaled."""
    set_news_consent(user, landlord, False)
    audit.record(
        "news.unsubscribed",
        request=request,
        landlord=landlord,
        actor=user,
        actor_kind="tenant",
        subject_user=user,
    )


def tenant_url(name: str, *args) -> str:
    """A path of the tenants' portal, even when the espace agence publishes."""
    return reverse(name, args=args, urlconf=settings.ROOT_URLCONF)


def email_for(item: NewsItem, user) -> EmailMultiAlternatives:
    landlord = item.landlord
    unsubscribe_url = landlord.public_url(
        tenant_url("news_unsubscribe", unsubscribe_token(user, landlord))
    )
    context = {
        "landlord": landlord,
        "item": item,
        "news_url": landlord.public_url(tenant_url("news")),
        "unsubscribe_url": unsubscribe_url,
    }
    subject = " ".join(_render_text("emails/news/item_subject.txt", context).split())
    context["subject"] = subject
    message = EmailMultiAlternatives(
        subject=subject,
        body=_render_text("emails/news/item_message.txt", context),
        from_email=landlord_from_address(landlord),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("emails/news/item_message.html", context), "text/html"
    )
    return message


def send_emails(news_id: int) -> int:
    """Queue the actualité's emails once, at its publication time (the task's body)."""
    with transaction.atomic():
        item = (
            NewsItem.objects.select_for_update(of=("self",))
            .select_related("landlord", "agency")
            .filter(pk=news_id)
            .first()
        )
        if item is None or item.state != NewsItem.State.PUBLISHED or item.emailed_at:
            return 0
        if item.publish_at is None or item.publish_at > timezone.now():
            return 0  # not due yet: the task queued for its time will send it
        users = list(recipients(item))
        for user in users:
            queue_email(email_for(item, user))
        item.emailed_at = timezone.now()
        item.save(update_fields=["emailed_at"])
        audit.record(
            "news.emailed", landlord=item.landlord, target=item, detail={"emails": len(users)}
        )
    return len(users)


# The background task (`manage.py db_worker`) lives with the rules it runs: a module of its
# own would import this one, which queues it.
@task()
def send_news_emails(news_id: int) -> int:
    return send_emails(news_id)
