"""The opt-in reminder three days before the due date (billing.due_reminders)."""

import datetime

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from billing.due_reminders import send_due_reminders
from billing.models import LedgerEntry
from notifications.models import DueReminder
from tests.factories import (
    AccessFactory,
    LandlordFactory,
    LedgerEntryFactory,
    PushSubscriptionFactory,
    SignatoryFactory,
)

pytestmark = pytest.mark.django_db

# Rent due on the 5th: the reminder goes on the 2nd.
DUE = datetime.date(2026, 12, 5)
THREE_DAYS_BEFORE = datetime.date(2026, 12, 2)


@pytest.fixture
def device(vapid, push_service):
    """A tenant of "Habitat du Pays d'Arles" (rent due on the 5th) owing 412,30 €,
    with notifications on on one phone and the reminder asked for."""
    landlord = LandlordFactory(name="Habitat du Pays d'Arles", rent_due_day=5)
    access = AccessFactory(signatory=SignatoryFactory(lease__account__landlord=landlord))
    account = access.signatory.lease.account
    LedgerEntryFactory(account=account, date=datetime.date(2026, 12, 1), amount_cents=41230)
    browser = push_service.subscribe(vapid)
    subscription = PushSubscriptionFactory(
        user=access.user, landlord=landlord, browser=browser, due_reminders=True
    )
    return account, browser, subscription


def test_the_reminder_goes_three_days_before_and_names_the_landlord_without_amount(device):
    account, browser, subscription = device
    with freeze_time("2026-12-02 08:00"):
        call_command("send_due_reminders")

    [message] = browser.messages
    assert message["title"] == "Échéance dans 3 jours"
    assert message["body"] == "Votre échéance d'Habitat du Pays d'Arles est le 05/12/2026."
    assert "412" not in message["body"]
    assert message["url"] == "/mon-compte/"
    assert DueReminder.objects.filter(
        subscription=subscription, account_id=account.pk, due_date=DUE
    ).exists()


def test_the_amount_shows_only_where_the_tenant_asked_for_it(device):
    _account, browser, subscription = device
    subscription.show_amounts = True
    subscription.save()
    send_due_reminders(THREE_DAYS_BEFORE)

    [message] = browser.messages
    assert "(412,30\u00a0€)" in message["body"]


def test_the_reminder_goes_once_however_often_the_job_runs(device):
    _account, browser, _subscription = device
    assert send_due_reminders(THREE_DAYS_BEFORE) == 1
    assert send_due_reminders(THREE_DAYS_BEFORE) == 0
    with freeze_time("2026-12-02 20:00"):
        call_command("send_due_reminders")
    assert len(browser.messages) == 1


@pytest.mark.parametrize(
    "day", [datetime.date(2026, 12, 1), datetime.date(2026, 12, 3), datetime.date(2026, 12, 5)]
)
def test_no_reminder_on_other_days(device, day):
    _account, browser, _subscription = device
    assert send_due_reminders(day) == 0
    assert browser.messages == []


def test_no_reminder_when_nothing_is_owed(device):
    account, browser, _subscription = device
    LedgerEntryFactory(
        account=account,
        date=datetime.date(2026, 12, 1),
        kind=LedgerEntry.Kind.PAYMENT,
        amount_cents=-41230,
    )
    assert send_due_reminders(THREE_DAYS_BEFORE) == 0
    assert browser.messages == []
    assert not DueReminder.objects.exists()


def test_no_reminder_without_the_opt_in(device):
    _account, browser, subscription = device
    subscription.due_reminders = False
    subscription.save()
    assert send_due_reminders(THREE_DAYS_BEFORE) == 0
    assert browser.messages == []


def test_the_next_due_date_gets_its_own_reminder(device):
    account, browser, _subscription = device
    send_due_reminders(THREE_DAYS_BEFORE)
    LedgerEntryFactory(account=account, date=datetime.date(2027, 1, 1), amount_cents=41230)
    assert send_due_reminders(datetime.date(2027, 1, 2)) == 1
    assert [m["body"][-11:] for m in browser.messages] == ["05/12/2026.", "05/01/2027."]
