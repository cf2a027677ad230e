"""Payments left in progress end as paid, failed or expired (rule 5)."""

import datetime
import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from payments.models import Payment
from payments.services import reconcile_pending
from tests.factories import PaymentFactory
from tests.payments.conftest import ipn, notify, pay, signed_in

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def minutes(n):
    return START + datetime.timedelta(minutes=n)


@pytest.fixture
def payfip_payment(payfip, make_account):
    account, user = make_account(47030)
    with freeze_time(START):
        pay(signed_in(user), account, "470,30")
    return Payment.objects.get()


@pytest.fixture
def systempay_payment(systempay, make_account):
    account, user = make_account(47030)
    with freeze_time(START):
        pay(signed_in(user), account, "470,30")
    return Payment.objects.get()


def state(payment):
    payment.refresh_from_db()
    return payment.state


def test_payfip_is_not_asked_before_20_minutes(payfip_payment, fake_payfip):
    fake_payfip.settle(payfip_payment.provider_transaction_id, "P")
    with freeze_time(minutes(19)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.PENDING
    assert "recupererDetailPaiementSecurise" not in fake_payfip.calls


def test_payfip_paid_without_notification_is_credited_after_20_minutes(payfip_payment, fake_payfip):
    fake_payfip.settle(payfip_payment.provider_transaction_id, "P")
    with freeze_time(minutes(21)):
        report = reconcile_pending()
    assert report.paid == 1
    assert state(payfip_payment) == Payment.State.PAID
    assert LedgerEntry.objects.filter(reference=payfip_payment.reference).exists()


def test_payfip_refused_ends_failed(payfip_payment, fake_payfip):
    fake_payfip.settle(payfip_payment.provider_transaction_id, "R")
    with freeze_time(minutes(21)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.FAILED


def test_payfip_never_paid_stays_pending_then_expires(payfip_payment, fake_payfip):
    with freeze_time(minutes(30)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.PENDING  # PayFiP: "transaction en cours"
    with freeze_time(minutes(121)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.EXPIRED


def test_payfip_unreachable_for_a_day_expires_the_payment(payfip_payment, fake_payfip):
    fake_payfip.__exit__()
    with freeze_time(minutes(60)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.PENDING
    with freeze_time(minutes(24 * 60)):
        reconcile_pending()
    assert state(payfip_payment) == Payment.State.EXPIRED


def test_systempay_without_notification_expires_after_the_page_lifetime(systempay_payment):
    with freeze_time(minutes(29)):
        reconcile_pending()
    assert state(systempay_payment) == Payment.State.PENDING
    with freeze_time(minutes(31)):
        reconcile_pending()
    assert state(systempay_payment) == Payment.State.EXPIRED
    assert account_balance_cents(systempay_payment.account) == 47030


def test_a_late_acceptance_still_credits_an_expired_payment(systempay_payment):
    with freeze_time(minutes(31)):
        reconcile_pending()
    assert notify(ipn(systempay_payment, "AUTHORISED")).status_code == 200
    assert state(systempay_payment) == Payment.State.PAID


def test_a_payment_never_handed_to_the_provider_expires(systempay, make_account):
    account, user = make_account(47030)
    with freeze_time(START):
        PaymentFactory(account=account, user=user, amount_cents=1000)
    with freeze_time(minutes(31)):
        out = io.StringIO()
        call_command("reconcile_payments", stdout=out)
    assert "1 expirés" in out.getvalue()
    assert Payment.objects.get().state == Payment.State.EXPIRED


def test_a_settled_payment_is_left_alone(systempay_payment):
    notify(ipn(systempay_payment, "AUTHORISED"))
    with freeze_time(minutes(60 * 48)):
        report = reconcile_pending()
    assert state(systempay_payment) == Payment.State.PAID
    assert report.expired == 0
