import datetime

import pytest
from django.test import Client

from billing.models import LedgerEntry
from payments import sandbox
from payments.models import Payment
from payments.sandbox import lyra_signature
from tests.factories import (
    AccessFactory,
    LedgerEntryFactory,
    PaymentProviderFactory,
    SignatoryFactory,
)
from tests.payments.fake_payfip import FakePayFiP

HOST = "hmp.localhost"
SHOP_ID = "12345678"
KEY = "1122334455667788"


@pytest.fixture
def systempay(landlord):
    """Habitat Marseille Provence on Systempay, TEST mode, through the portal's sandbox."""
    return PaymentProviderFactory(landlord=landlord, shop_id=SHOP_ID, key=KEY)


@pytest.fixture
def make_account(landlord):
    """make_account(balance_cents) -> (account, user): a tenant's account and their login."""
    counter = iter(range(1000))

    def make(balance_cents=47030, email=None):
        signatory = SignatoryFactory(lease__account__landlord=landlord)
        account = signatory.lease.account
        if balance_cents:
            LedgerEntryFactory(
                account=account,
                amount_cents=balance_cents,
                kind=LedgerEntry.Kind.CHARGE if balance_cents > 0 else LedgerEntry.Kind.PAYMENT,
                date=datetime.date(2026, 11, 1),
            )
        access = AccessFactory(
            user__email=email or f"locataire{next(counter)}@exemple.com",
            user__verified=False,
            signatory=signatory,
        )
        return account, access.user

    return make


def signed_in(user) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def start_url(account) -> str:
    return f"/mon-compte/compte/{account.pk}/reglement/"


def amount_url(account) -> str:
    return f"/mon-compte/compte/{account.pk}/reglement/montant/"


def pay(client, account, amount="470,30"):
    """Submit the amount form; the response is the page that sends the tenant to the provider."""
    return client.post(amount_url(account), {"amount": amount})


def checkout_fields(response) -> dict[str, str]:
    return dict(response.context["checkout"].fields)


def ipn(payment: Payment, status="AUTHORISED", key=KEY, **changes) -> dict[str, str]:
    """The notification Lyra sends for `payment`, signed with `key` after `changes`."""
    result = {
        "AUTHORISED": "00",
        "CAPTURED": "00",
        "CANCELLED": "00",
        "REFUSED": "05",
        "ABANDONED": "17",
        "EXPIRED": "00",
    }[status]
    fields = {
        "vads_action_mode": "INTERACTIVE",
        "vads_amount": str(payment.amount_cents),
        "vads_auth_result": result if status != "ABANDONED" else "",
        "vads_ctx_mode": "TEST",
        "vads_currency": "978",
        "vads_order_id": payment.reference,
        "vads_page_action": "PAYMENT",
        "vads_payment_config": "SINGLE",
        "vads_result": result,
        "vads_site_id": SHOP_ID,
        "vads_trans_date": "20261120101500",
        "vads_trans_id": "a1B2c3",
        "vads_trans_status": status,
        "vads_trans_uuid": "4a3f7c0e9b5d4d0f8e2a1c6b7d8e9f00",
        "vads_version": "V2",
        **changes,
    }
    fields["signature"] = lyra_signature(fields, key)
    return fields


def refund_ipn(
    payment: Payment, amount_cents: int, uuid="9b1d0c2e3f4a5b6c7d8e9f0a1b2c3d4e", **changes
):
    """Lyra's notification of a refund made in its back office: a CREDIT transaction of its
    own (new vads_trans_uuid) on the same order."""
    return ipn(
        payment,
        "CAPTURED",
        vads_operation_type="CREDIT",
        vads_amount=str(amount_cents),
        vads_trans_uuid=uuid,
        vads_url_check_src="MERCH_BO",
        **changes,
    )


def cancellation_ipn(payment: Payment, **changes):
    """Lyra's notification of the payment's transaction cancelled in its back office."""
    return ipn(
        payment, "CANCELLED", vads_operation_type="DEBIT", vads_url_check_src="MERCH_BO", **changes
    )


def notify(fields, host=HOST):
    return Client().post("/paiement/notification/", fields, HTTP_HOST=host)


@pytest.fixture
def notifications_through_test_client(monkeypatch):
    """The sandbox's server-to-server call, routed to the portal through Django's test client
    (the browser tests use a real HTTP server instead)."""
    answers = []

    def post(url, fields):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        response = Client().post(parts.path, fields, HTTP_HOST=parts.netloc)
        answers.append(response.status_code)
        return response.status_code

    monkeypatch.setattr(sandbox, "post_notification", post)
    return answers


@pytest.fixture
def fake_payfip():
    with FakePayFiP() as server:
        yield server


@pytest.fixture
def payfip(landlord, fake_payfip):
    """Habitat Marseille Provence on PayFiP, TEST mode, its web service the local fake."""
    return PaymentProviderFactory(landlord=landlord, payfip=True, service_url=fake_payfip.url)
