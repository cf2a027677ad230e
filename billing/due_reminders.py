"""The opt-in Web Push reminder three days before the rent's due date (docs/app.md).

`manage.py send_due_reminders`, run daily: for every device whose tenant asked for the
reminder (`PushSubscription.due_reminders`), each of its person's accounts at the device's
landlord whose next due date is in three days and that owes something (its balance) gets
one message. A `DueReminder` row, written with the message's task row, keeps it to one per
device, account and due date, however often the job runs.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from billing import statement
from notifications import push
from notifications.models import DueReminder, PushSubscription
from tenancies.models import TenantAccount

DAYS_BEFORE = 3


def send_due_reminders(today: datetime.date | None = None) -> int:
    """Queue the reminders due `today` (default: the local date); how many were queued."""
    if not push.enabled():
        return 0
    today = today or timezone.localdate()
    due = today + datetime.timedelta(days=DAYS_BEFORE)
    queued = 0
    subscriptions = PushSubscription.objects.filter(due_reminders=True).select_related("landlord")
    for subscription in subscriptions.order_by("pk"):
        landlord = subscription.landlord
        if statement.next_due_date(landlord.rent_due_day, today) != due:
            continue
        accounts = TenantAccount.objects.filter(
            landlord=landlord, leases__signatories__access__user=subscription.user_id
        ).distinct()
        for account in accounts.select_related("landlord").order_by("pk"):
            owed = statement.balance_cents(statement.ledger(account))
            if owed <= 0:
                continue  # up to date or in credit: nothing to remind
            with transaction.atomic():
                _reminder, created = DueReminder.objects.get_or_create(
                    subscription=subscription, account_id=account.pk, due_date=due
                )
                if created:
                    push.due_reminder(subscription, account, due, owed)
                    queued += 1
    return queued
