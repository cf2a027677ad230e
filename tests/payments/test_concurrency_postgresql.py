"""Row locks under real concurrency, on PostgreSQL (rules 3 and 4, exports exactly once)."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from landlords.models import Landlord
from payments import services
from payments.models import Payment, PaymentExport, Reversal
from tenancies.models import TenantAccount
from tests.payments.conftest import ipn, notify, pay, refund_ipn, signed_in
from tests.postgresql import wait_for_blocked_locks

pytestmark = pytest.mark.postgresql


def in_threads(count, work):
    """Run work(i) in `count` threads; return their results (or exceptions) by index."""
    results = [None] * count

    def run(index):
        try:
            results[index] = work(index)
        except Exception as exc:  # reported to the test thread
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads, results


def test_same_notification_five_times_three_at_once_credits_once(
    transactional_db, systempay, make_account
):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    fields = ipn(payment, "AUTHORISED")

    with transaction.atomic():
        Payment.objects.select_for_update().get(pk=payment.pk)
        threads, answers = in_threads(3, lambda _i: notify(fields).status_code)
        wait_for_blocked_locks(3)
    for thread in threads:
        thread.join(timeout=30)
    answers += [notify(fields).status_code for _ in range(2)]

    assert answers == [200] * 5
    assert LedgerEntry.objects.filter(reference=payment.reference).count() == 1
    assert account_balance_cents(TenantAccount.objects.get(pk=account.pk)) == 0
    assert len(mail.outbox) == 1


def test_two_tabs_paying_the_whole_balance_at_once_cannot_both_start(
    transactional_db, systempay, make_account
):
    account, user = make_account(47030)

    with transaction.atomic():
        TenantAccount.objects.select_for_update().get(pk=account.pk)
        threads, outcomes = in_threads(2, lambda _i: services.create_payment(account, user, 47030))
        wait_for_blocked_locks(2)
    for thread in threads:
        thread.join(timeout=30)

    started = [o for o in outcomes if isinstance(o, Payment)]
    refused = [o for o in outcomes if isinstance(o, services.AmountOutOfRange)]
    assert (len(started), len(refused)) == (1, 1), outcomes
    assert refused[0].message == "Vous n'avez rien à payer sur ce compte."
    assert Payment.objects.count() == 1
    assert services.payable_range(account) == (0, 0)


def test_two_exports_at_once_never_output_the_same_payment(
    transactional_db, systempay, make_account
):
    for _ in range(3):
        account, user = make_account(47030)
        pay(signed_in(user), account, "470,30")
        notify(ipn(Payment.objects.get(account=account)))
    landlord = Landlord.objects.get(slug="hmp")

    with transaction.atomic():
        Landlord.objects.select_for_update().get(pk=landlord.pk)
        threads, exports = in_threads(
            2, lambda _i: services.export_confirmed_payments(landlord, "commande")
        )
        wait_for_blocked_locks(2)
    for thread in threads:
        thread.join(timeout=30)

    batches = [e for e in exports if isinstance(e, PaymentExport)]
    assert len(batches) == 1 and exports.count(None) == 1, exports
    assert batches[0].payments.count() == 3


def _paid_payment(account, user):
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    assert notify(ipn(payment, "AUTHORISED")).status_code == 200
    mail.outbox.clear()
    return payment


def test_the_same_refund_notification_three_times_at_once_is_written_once(
    transactional_db, systempay, make_account
):
    account, user = make_account(47030)
    payment = _paid_payment(account, user)
    fields = refund_ipn(payment, 10000)

    with transaction.atomic():
        Payment.objects.select_for_update().get(pk=payment.pk)
        threads, answers = in_threads(3, lambda _i: notify(fields))
        wait_for_blocked_locks(3)
    for thread in threads:
        thread.join(timeout=30)

    assert [(a.status_code, a.text) for a in answers] == [(200, "OK")] * 3
    reversal = Reversal.objects.get()
    assert reversal.amount_cents == 10000
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).count() == 1
    assert LedgerEntry.objects.get(reference=reversal.reference).amount_cents == 10000
    assert account_balance_cents(TenantAccount.objects.get(pk=account.pk)) == 10000
    assert len(mail.outbox) == 1


def test_two_refunds_at_once_beyond_the_amount_paid_only_one_is_written(
    transactional_db, systempay, make_account
):
    account, user = make_account(47030)
    payment = _paid_payment(account, user)
    first = refund_ipn(payment, 30000, uuid="a" * 32)
    second = refund_ipn(payment, 30000, uuid="b" * 32)

    with transaction.atomic():
        Payment.objects.select_for_update().get(pk=payment.pk)
        threads, answers = in_threads(2, lambda i: notify((first, second)[i]))
        wait_for_blocked_locks(2)
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(a.status_code for a in answers) == [200, 400]
    assert Reversal.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).count() == 1
    assert account_balance_cents(TenantAccount.objects.get(pk=account.pk)) == 30000
