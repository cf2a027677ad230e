"""Lyra's status request (REST Order/Get) over real HTTP against the sandbox: a notification
delayed for hours, an order Lyra does not know, a wrong REST password; and the parsing of
the answer for each documented status (docs/payments.md, reconciliation)."""

import datetime
import html

import pytest
from freezegun import freeze_time

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from payments import providers, sandbox
from payments.models import Payment, PaymentEvent
from payments.providers import (
    REST_ORDER_NOT_FOUND,
    InvalidMessage,
    Outcome,
    order_status,
    post_to,
)
from payments.services import reconcile_pending
from tests.payments.conftest import checkout_fields, notify, pay, signed_in, start_url
from tests.payments.test_sandbox import browser, card_page, submit_card

PARIS = datetime.timezone(datetime.timedelta(hours=1))  # November: UTC+1
START = datetime.datetime(2026, 11, 20, 10, 2, tzinfo=PARIS)
REST_PASSWORD = "testpassword_SbEbeOueaMDyg8Rtei1bSaiB5lms9V0ZDjzldGXGAnIwH"


def minutes(n):
    return START + datetime.timedelta(minutes=n)


def text_of(page):
    return html.unescape(page.text).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def lyra(live_server, transactional_db, settings, systempay):
    """The shop's REST API is the sandbox, served over HTTP by the live server on the
    landlord's host (as in the demo: rest_url relative to the portal)."""
    settings.HTTPS = False
    settings.PUBLIC_PORT = int(live_server.url.rsplit(":", 1)[1])
    systempay.rest_url = "/paiement/bac-a-sable/api-payment/"
    systempay.rest_password = REST_PASSWORD
    systempay.save()
    return systempay


@pytest.fixture
def delayed_notifications(monkeypatch):
    """Lyra's IPN held back (delayed for hours): kept here instead of being sent."""
    held = []

    def hold(url, fields):
        held.append((url, fields))
        return 200

    monkeypatch.setattr(sandbox, "post_notification", hold)
    return held


@pytest.fixture
def paid_on_lyra(lyra, make_account, delayed_notifications):
    """A tenant paid 470,30 € on the sandbox's page at 10 h 02; its notification is delayed."""
    account, user = make_account(47030)
    client = signed_in(user)
    with freeze_time(START):
        fields = checkout_fields(pay(client, account, "470,30"))
        sandbox_browser = browser()
        answer = submit_card(
            sandbox_browser, card_page(sandbox_browser, fields), "4970 1000 0000 0003"
        )
    assert answer.status_code == 302
    assert len(delayed_notifications) == 1
    return Payment.objects.get(), client


def test_a_delayed_notification_leaves_the_payment_in_progress_and_the_page_says_so(
    paid_on_lyra,
):
    payment, client = paid_on_lyra
    assert payment.state == Payment.State.PENDING

    with freeze_time(minutes(3)):
        reconcile_pending()  # too early to ask Lyra
        page = text_of(client.get(start_url(payment.account)))

    assert Payment.objects.get().state == Payment.State.PENDING
    assert not PaymentEvent.objects.filter(kind=PaymentEvent.Kind.STATUS).exists()
    assert (
        "Un paiement de 470,30 € commencé à 10 h 02 attend la confirmation de la banque ; "
        "s'il n'aboutit pas, il sera annulé à 10 h 32 au plus tard." in page
    )
    assert "Vous n'avez rien à payer en ligne" in page  # the whole balance is in progress


def test_lyra_says_paid_the_payment_is_credited_once_and_the_late_notification_changes_nothing(
    paid_on_lyra, delayed_notifications
):
    payment, client = paid_on_lyra

    with freeze_time(minutes(6)):
        report = reconcile_pending()

    payment.refresh_from_db()
    assert report.paid == 1
    assert payment.state == Payment.State.PAID
    assert account_balance_cents(payment.account) == 0
    assert LedgerEntry.objects.filter(reference=payment.reference).count() == 1
    status = PaymentEvent.objects.get(payment=payment, kind=PaymentEvent.Kind.STATUS)
    assert "PAID/AUTHORISED" in status.result
    with freeze_time(minutes(7)):
        page = text_of(client.get(start_url(payment.account)))
    assert "attend la confirmation" not in page

    with freeze_time(minutes(10)):
        again = reconcile_pending()  # nothing left in progress: Lyra is not asked again
    assert again.paid == 0

    ((_url, fields),) = delayed_notifications
    with freeze_time(minutes(4 * 60)):
        late = notify(fields)
    assert late.status_code == 200
    payment.refresh_from_db()
    assert payment.state == Payment.State.PAID
    assert LedgerEntry.objects.filter(reference=payment.reference).count() == 1
    assert account_balance_cents(payment.account) == 0
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.STATUS).count() == 1


@pytest.fixture
def never_paid(lyra, make_account):
    """The tenant was sent to Lyra's page at 10 h 02 and never paid: no transaction."""
    account, user = make_account(47030)
    with freeze_time(START):
        pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    assert payment.state == Payment.State.PENDING
    return payment


def test_an_order_lyra_does_not_know_expires_once_the_page_is_over(never_paid):
    with freeze_time(minutes(6)):
        reconcile_pending()  # PSP_010, but the tenant may still be on the page
    assert Payment.objects.get().state == Payment.State.PENDING

    with freeze_time(minutes(31)):
        report = reconcile_pending()

    assert report.expired == 1
    assert Payment.objects.get().state == Payment.State.EXPIRED
    statuses = PaymentEvent.objects.filter(payment=never_paid, kind=PaymentEvent.Kind.STATUS)
    assert [e.result for e in statuses.order_by("pk")][-1].endswith("PSP_010 aucune transaction")
    assert account_balance_cents(never_paid.account) == 47030


def test_a_wrong_rest_password_leaves_it_pending_until_30_minutes_then_expires(
    lyra, never_paid, monkeypatch
):
    """The sandbox plays Lyra from the same PaymentProvider row, so the password the portal
    sends is changed on its way out: Lyra's back office has another one."""
    answers = []

    def spied(url, **kwargs):
        assert kwargs["auth"] == (lyra.shop_id, REST_PASSWORD)
        response = post_to(url, **{**kwargs, "auth": (lyra.shop_id, "wrong")})
        answers.append(response.status_code)
        return response

    monkeypatch.setattr(providers, "post_to", spied)

    with freeze_time(minutes(6)):
        reconcile_pending()
    assert Payment.objects.get().state == Payment.State.PENDING
    assert answers == [401]  # the sandbox, over HTTP, refused the password

    with freeze_time(minutes(29)):
        reconcile_pending()
    assert Payment.objects.get().state == Payment.State.PENDING

    with freeze_time(minutes(31)):
        report = reconcile_pending()
    assert report.expired == 1
    payment = Payment.objects.get()
    assert payment.state == Payment.State.EXPIRED
    assert not PaymentEvent.objects.filter(payment=payment, kind=PaymentEvent.Kind.STATUS).exists()


def test_the_sandbox_refuses_a_wrong_rest_password_with_401(lyra, never_paid, live_server):
    url = f"http://hmp.localhost:{live_server.url.rsplit(':', 1)[1]}"
    url += "/paiement/bac-a-sable/api-payment/V4/Order/Get"
    body = {"orderId": never_paid.reference}
    assert post_to(url, json=body, auth=(lyra.shop_id, "wrong"), timeout=10).status_code == 401
    answer = post_to(url, json=body, auth=(lyra.shop_id, REST_PASSWORD), timeout=10)
    assert answer.status_code == 200
    assert answer.json()["answer"]["errorCode"] == REST_ORDER_NOT_FOUND


# --- The answer's parsing -------------------------------------------------------------------

REFERENCE = "PL7K3M9Q2X"


def transaction(status, detailed, operation="DEBIT", created="2026-11-20T09:02:00+00:00", **kw):
    return {
        "shopId": "12345678",
        "uuid": kw.pop("uuid", "4a3f7c0e9b5d4d0f8e2a1c6b7d8e9f00"),
        "status": status,
        "detailedStatus": detailed,
        "amount": 47030,
        "currency": "EUR",
        "creationDate": created,
        "operationType": operation,
        "orderDetails": {"mode": "TEST", "orderId": REFERENCE},
        **kw,
    }


def answer(*transactions, order_id=REFERENCE):
    return {
        "webService": "Order/Get",
        "status": "SUCCESS",
        "mode": "TEST",
        "answer": {"orderId": order_id, "shopId": "12345678", "transactions": list(transactions)},
    }


@pytest.mark.parametrize(
    ("status", "detailed", "outcome"),
    [
        ("PAID", "AUTHORISED", Outcome.PAID),
        ("PAID", "CAPTURED", Outcome.PAID),
        ("RUNNING", "WAITING_AUTHORISATION", Outcome.PENDING),
        ("RUNNING", "UNDER_VERIFICATION", Outcome.PENDING),
        ("UNPAID", "REFUSED", Outcome.FAILED),
        ("UNPAID", "CANCELLED", Outcome.FAILED),
        ("UNPAID", "ERROR", Outcome.FAILED),
        ("UNPAID", "EXPIRED", Outcome.EXPIRED),
        ("ABANDONED", "ABANDONED", Outcome.FAILED),
    ],
)
def test_each_documented_status(status, detailed, outcome):
    result = order_status(answer(transaction(status, detailed)), REFERENCE)
    assert result.outcome == outcome
    assert result.amount_cents == 47030
    assert result.currency == "EUR"
    assert result.mode == "TEST"
    assert result.shop_id == "12345678"
    assert result.provider_transaction_id == "4a3f7c0e9b5d4d0f8e2a1c6b7d8e9f00"
    assert result.detailed_status == detailed


def test_a_paid_attempt_wins_over_an_earlier_refusal_and_refunds_are_ignored():
    result = order_status(
        answer(
            transaction("UNPAID", "REFUSED", uuid="a" * 32, created="2026-11-20T09:02:00+00:00"),
            transaction("PAID", "CAPTURED", uuid="b" * 32, created="2026-11-20T09:04:00+00:00"),
            transaction("PAID", "CAPTURED", "CREDIT", uuid="c" * 32, amount=1000),
        ),
        REFERENCE,
    )
    assert result.outcome == Outcome.PAID
    assert result.provider_transaction_id == "b" * 32
    assert result.amount_cents == 47030


def test_the_latest_unpaid_attempt_decides_when_none_is_paid_or_running():
    result = order_status(
        answer(
            transaction("UNPAID", "EXPIRED", uuid="b" * 32, created="2026-11-20T09:30:00+00:00"),
            transaction("UNPAID", "REFUSED", uuid="a" * 32, created="2026-11-20T09:02:00+00:00"),
        ),
        REFERENCE,
    )
    assert result.outcome == Outcome.EXPIRED
    assert result.provider_transaction_id == "b" * 32


def test_unknown_order_or_no_debit_is_expired():
    unknown = {
        "status": "ERROR",
        "mode": "TEST",
        "answer": {"errorCode": "PSP_010", "errorMessage": "transaction not found"},
    }
    assert order_status(unknown, REFERENCE).outcome == Outcome.EXPIRED
    only_credit = answer(transaction("PAID", "CAPTURED", "CREDIT"))
    assert order_status(only_credit, REFERENCE).outcome == Outcome.EXPIRED


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"status": "SUCCESS"},
        {"status": "ERROR", "answer": {"errorCode": "INT_905", "errorMessage": "auth"}},
        answer(transaction("PAID", "AUTHORISED"), order_id="PLANOTHER0"),
    ],
)
def test_anything_else_is_an_invalid_answer(bad):
    with pytest.raises(InvalidMessage):
        order_status(bad, REFERENCE)
