"""Web Push through a local push service speaking RFC 8030 / 8291 / 8292."""

import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from notifications import push
from notifications.models import PushSubscription
from notifications.tasks import PUSH_RETRY_DELAYS, PUSH_TTL_SECONDS
from notifications.vapid import new_private_key
from payments import lifecycle
from tests.factories import (
    AccessFactory,
    PaymentFactory,
    PushSubscriptionFactory,
    RentNoticeFactory,
)
from tests.notifications.support import run_due_tasks

HOST = "hmp.localhost"


@pytest.fixture
def tenant_device(demo, make_tenant, vapid, push_service):
    """Jean Dupond at Habitat Marseille Provence, with notifications on on one phone."""
    user = make_tenant("hmp", email="jean@exemple.com")
    browser = push_service.subscribe(vapid)
    subscription = PushSubscriptionFactory(
        user=user, landlord=user.accounts().get().landlord, browser=browser
    )
    return user, browser, subscription


def paid(user, **kwargs):
    payment = PaymentFactory(account=user.accounts().get(), user=user, pending=True, **kwargs)
    with transaction.atomic():  # as the notification view does (also in transactional tests)
        lifecycle.mark_paid(lifecycle.locked_payment(payment.pk), "accepté")
    return payment


def test_a_confirmed_payment_arrives_encrypted_and_names_the_landlord_without_amount(
    tenant_device,
):
    user, browser, _ = tenant_device
    paid(user, amount_cents=47030)

    [message] = browser.messages
    assert message["title"] == "Paiement accepté"
    assert message["body"] == (
        "Votre compte locataire d'Habitat Marseille Provence a bien reçu votre paiement en ligne."
    )
    assert "470" not in message["body"]
    assert message["url"] == "/mon-compte/"
    assert message["ttl"] == PUSH_TTL_SECONDS


def test_the_amount_shows_only_where_the_tenant_asked_for_it(tenant_device):
    user, browser, subscription = tenant_device
    subscription.show_amounts = True
    subscription.save()
    paid(user, amount_cents=47030)
    assert "de 470,30\u00a0€." in browser.messages[0]["body"]


def test_a_refused_payment_is_told(tenant_device):
    user, browser, _ = tenant_device
    payment = PaymentFactory(account=user.accounts().get(), user=user, pending=True)
    lifecycle.mark_failed(lifecycle.locked_payment(payment.pk), "refusé")
    assert browser.messages[0]["title"] == "Paiement refusé"
    assert "Habitat Marseille Provence" in browser.messages[0]["body"]


def test_a_new_rent_notice_reaches_every_signatory_of_the_account(
    tenant_device, push_service, vapid
):
    user, browser, _ = tenant_device
    account = user.accounts().get()
    other_signatory = account.leases.get().signatories.exclude(access__user=user).first()
    other = AccessFactory(signatory=other_signatory).user
    other_phone = push_service.subscribe(vapid)
    PushSubscriptionFactory(user=other, landlord=account.landlord, browser=other_phone)

    push.notice_available(RentNoticeFactory(account=account, period=datetime.date(2026, 11, 1)))

    for phone in (browser, other_phone):
        [message] = phone.messages
        assert message["title"] == "Nouvel avis d'échéance"
        assert message["body"] == (
            "Un nouvel avis d'échéance d'Habitat Marseille Provence "
            "est disponible dans Mes documents."
        )
        assert message["url"] == f"/mon-compte/compte/{account.pk}/documents/"


def test_notices_stored_together_reach_the_devices_of_each_account_once(
    tenant_device, push_service, vapid, make_tenant
):
    user, browser, _ = tenant_device
    account = user.accounts().get()
    other = make_tenant("hdf", email="sophie@exemple.com")
    other_account = other.accounts().get()
    other_phone = push_service.subscribe(vapid)
    PushSubscriptionFactory(user=other, landlord=other_account.landlord, browser=other_phone)
    november = datetime.date(2026, 11, 1)
    notices = [
        RentNoticeFactory(account=account, period=november),
        RentNoticeFactory(account=other_account, period=november),
        RentNoticeFactory(period=november),  # an account nobody has signed in to
    ]

    assert push.notices_available(notices) == 2

    [message] = browser.messages
    assert "d'Habitat Marseille Provence" in message["body"]
    assert message["url"] == f"/mon-compte/compte/{account.pk}/documents/"
    [message] = other_phone.messages
    assert "d'Habitat Hauts-de-France" in message["body"]
    assert message["url"] == f"/mon-compte/compte/{other_account.pk}/documents/"


def test_a_device_of_another_landlord_gets_nothing(tenant_device, push_service, vapid):
    user, browser, subscription = tenant_device
    from landlords.models import Landlord

    subscription.landlord = Landlord.objects.get(slug="aubervilliers")
    subscription.save()
    paid(user)
    assert browser.messages == []


def test_a_subscription_the_push_service_says_is_gone_is_removed(tenant_device, push_service):
    user, browser, subscription = tenant_device
    push_service.forget(browser)
    paid(user)
    assert push_service.refusals == [(410, "subscription gone")]
    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_vapid_signed_with_another_key_is_refused_and_the_subscription_kept(
    tenant_device, push_service, settings
):
    user, browser, subscription = tenant_device
    settings.VAPID_PRIVATE_KEY = new_private_key()
    paid(user)
    assert push_service.refusals[0][0] == 403
    assert browser.messages == []
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


@pytest.mark.usefixtures("database_tasks")
def test_a_push_service_that_is_down_delays_the_message_and_loses_none(tenant_device, push_service):
    user, browser, _ = tenant_device
    push_service.down = True
    before = timezone.now()
    paid(user)
    run_due_tasks()  # the first attempt fails: retried later
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    waited = retry.run_after - before
    assert PUSH_RETRY_DELAYS[0] <= waited < PUSH_RETRY_DELAYS[0] + datetime.timedelta(minutes=1)
    assert browser.messages == []

    push_service.down = False
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_due_tasks()
    assert [m["title"] for m in browser.messages] == ["Paiement accepté"]


@pytest.mark.usefixtures("database_tasks")
def test_the_message_is_a_task_of_the_payments_transaction(tenant_device):
    """Rolled back with the payment: nothing queued, nothing sent."""
    user, _browser, _ = tenant_device
    payment = PaymentFactory(account=user.accounts().get(), user=user, pending=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.mark_paid(lifecycle.locked_payment(payment.pk), "accepté")
        assert DBTaskResult.objects.filter(task_path__endswith="deliver_push").count() == 1
        raise RuntimeError
    assert not DBTaskResult.objects.filter(task_path__endswith="deliver_push").exists()


# --- Mes infos: turning notifications on and off -----------------------------------------


def signed_in(user):
    client = Client(HTTP_HOST=HOST, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131")
    client.force_login(user)
    return client


def test_a_tenant_turns_notifications_on_then_off_for_a_device(
    demo, make_tenant, vapid, push_service
):
    user = make_tenant("hmp", email="jean@exemple.com")
    client = signed_in(user)
    page = client.get("/mon-compte/mes-infos/").content.decode()
    assert f'data-push-key="{vapid}"' in page
    browser = push_service.subscribe(vapid)

    answer = client.post(
        "/mon-compte/mes-infos/notifications/abonnement/",
        browser.to_json(),
        content_type="application/json",
    )
    assert answer.json() == {"next": "/mon-compte/mes-infos/#notifications"}
    subscription = PushSubscription.objects.get(user=user)
    assert subscription.device == "Chrome sur Android"
    assert subscription.landlord.slug == "hmp"
    page = client.get("/mon-compte/mes-infos/").content.decode()
    assert "Les notifications sont activées sur cet appareil." in page
    assert "Chrome sur Android</span>, depuis le" in page

    client.post(
        "/mon-compte/mes-infos/notifications/appareil/", {"device": subscription.pk, "off": "1"}
    )
    assert not PushSubscription.objects.exists()
    assert list(
        AuditEvent.objects.filter(subject_user=user).order_by("pk").values_list("action", flat=True)
    ) == ["push.enabled", "push.disabled"]


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": "ftp://push.exemple/1", "keys": {"p256dh": "x", "auth": "y"}},
        {"endpoint": "https://push.exemple/1", "keys": {"p256dh": "AAAA", "auth": "AAAA"}},
        {"endpoint": "https://push.exemple/1"},
        "n'importe quoi",
    ],
)
def test_a_bad_subscription_is_refused_in_french_and_nothing_stored(demo, make_tenant, vapid, body):
    client = signed_in(make_tenant("hmp", email="jean@exemple.com"))
    answer = client.post(
        "/mon-compte/mes-infos/notifications/abonnement/", body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "Les notifications n'ont pas pu être activées sur cet appareil."
    }
    assert not PushSubscription.objects.exists()


def test_nobody_turns_off_or_changes_someone_elses_device(tenant_device, make_tenant):
    _user, _browser, subscription = tenant_device
    intruder = signed_in(make_tenant("aubervilliers", email="autre@exemple.com"))
    intruder.defaults["HTTP_HOST"] = "aubervilliers.localhost"
    url = "/mon-compte/mes-infos/notifications/appareil/"
    intruder.post(url, {"device": subscription.pk, "off": "1"})
    intruder.post(url, {"device": subscription.pk, "show_amounts": "on"})
    subscription.refresh_from_db()
    assert not subscription.show_amounts


def test_preferences_are_saved_per_device(tenant_device):
    user, _browser, subscription = tenant_device
    signed_in(user).post(
        "/mon-compte/mes-infos/notifications/appareil/",
        {"device": subscription.pk, "show_amounts": "on", "due_reminders": "on"},
    )
    subscription.refresh_from_db()
    assert subscription.show_amounts and subscription.due_reminders
    assert AuditEvent.objects.get(subject_user=user).action == "push.preferences_changed"


def test_without_vapid_keys_mes_infos_has_no_notifications_section(demo, make_tenant, settings):
    settings.VAPID_PRIVATE_KEY = ""
    page = signed_in(make_tenant("hmp", email="jean@exemple.com")).get("/mon-compte/mes-infos/")
    assert "data-push" not in page.content.decode()
