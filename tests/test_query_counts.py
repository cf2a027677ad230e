"""The pages of the first of the month cost the same number of queries however long the
ledger, and a sign-in the same however many sessions the tenant left open."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from billing.models import LedgerEntry
from demo.loading import load_demo_landlords
from tests.accounts.test_sign_in import sign_in
from tests.factories import IssuedDocumentFactory, LedgerEntryFactory, RentNoticeFactory

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
TODAY = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC)
FIRST_MONTH = datetime.date(2022, 1, 1)


def month(index: int) -> datetime.date:
    """The index-th month before the demo's ledger (0: FIRST_MONTH)."""
    year, offset = divmod(FIRST_MONTH.month - 1 + index, 12)
    return datetime.date(FIRST_MONTH.year + year, offset + 1, 1)


def add_months(account, months: range) -> None:
    """A charge, its payment, the notice and the receipt of each month."""
    for index in months:
        day = month(index)
        LedgerEntryFactory(account=account, date=day, amount_cents=41230)
        LedgerEntryFactory(
            account=account,
            date=day + datetime.timedelta(days=4),
            label="Paiement",
            kind=LedgerEntry.Kind.PAYMENT,
            amount_cents=-41230,
        )
        RentNoticeFactory(account=account, period=day)
        IssuedDocumentFactory(account=account, period=day)


def pages(account) -> dict[str, str]:
    return {
        "Mon compte": "/mon-compte/",
        "history": f"/mon-compte/compte/{account.pk}/situation/",
        "documents": f"/mon-compte/compte/{account.pk}/documents/",
    }


def query_counts(client, account) -> dict[str, int]:
    counts = {}
    for name, path in pages(account).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


CACHE_METHODS = ("get", "get_many", "set", "set_many", "add", "delete", "delete_many", "touch")


@contextmanager
def counting_cache_calls(monkeypatch):
    """The calls the code makes to the shared cache: each is a round trip to Redis in
    production (the test cache answers one call with others of its own: not counted)."""
    backend, calls, depth = caches["default"], [], [0]

    def counted(method):
        def call(*args, **kwargs):
            if depth[0] == 0:
                calls.append(method.__name__)
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in CACHE_METHODS:
        monkeypatch.setattr(backend, name, counted(getattr(backend, name)))
    yield calls


def cache_round_trips(client, account, monkeypatch) -> dict[str, int]:
    counts = {}
    for name, path in pages(account).items():
        with counting_cache_calls(monkeypatch) as calls:
            assert client.get(path, HTTP_HOST=HOST).status_code == 200
        counts[name] = len(calls)
        monkeypatch.undo()
    return counts


def test_mon_compte_history_and_documents_cost_the_same_with_2_or_50_months(
    client, db, make_tenant
):
    # The demo's ledger follows the day it is loaded: loaded on the frozen day too.
    with freeze_time(TODAY):
        load_demo_landlords()
        jean = make_tenant("aubervilliers", email="jean@exemple.com")
        account = jean.accesses.get().signatory.lease.account
        sign_in(client, HOST, "jean@exemple.com")
        add_months(account, range(2))
        query_counts(client, account)  # the first visit of each page may fill caches
        with_2 = query_counts(client, account)

        add_months(account, range(2, 50))
        with_50 = query_counts(client, account)

    assert account.ledger_entries.filter(date__lt=month(50)).count() == 100
    assert with_50 == with_2
    # The user (the session comes from the cache), then the page: the balance comes from the
    # ledger already read, the navigation and the links to other landlords reuse the page's
    # one list of accounts, its current leases also say which residences' news it shows, and
    # the latest news and the landlord's closed months come from the cache.
    assert with_2 == {"Mon compte": 6, "history": 4, "documents": 5}


def test_each_page_costs_few_round_trips_to_the_cache(client, make_tenant, monkeypatch):
    with freeze_time(TODAY):
        load_demo_landlords()
        jean = make_tenant("aubervilliers", email="jean@exemple.com")
        account = jean.accesses.get().signatory.lease.account
        sign_in(client, HOST, "jean@exemple.com")
        query_counts(client, account)  # the first visit of each page fills the caches
        counts = cache_round_trips(client, account, monkeypatch)

    # The host's landlord and the session on every page; Mon compte's latest actualités
    # with the landlord's news generation and the tenant's reads (one round trip), the
    # documents' closed months.
    assert counts == {"Mon compte": 3, "history": 2, "documents": 3}


def sign_in_queries(tenant_login: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = sign_in(Client(), HOST, tenant_login)
    assert response["Location"] == "/mon-compte/"
    return len(queries)


def test_a_sign_in_costs_the_same_with_1_or_20_open_sessions(tenant):
    with freeze_time(TODAY):
        tenant("aubervilliers", email="jean@exemple.com")
        sign_in(Client(), HOST, "jean@exemple.com")
        with_1 = sign_in_queries("jean@exemple.com")
        for _ in range(18):
            sign_in(Client(), HOST, "jean@exemple.com")
        with_20 = sign_in_queries("jean@exemple.com")

    assert with_20 == with_1
    # The login with all its email addresses (the verification stage and the device
    # cookie's identifiers), whether it may sign in here and its MFA, in one query (its
    # lookup by email); last_login, allauth's row of this session, the audit row, the
    # session written once, all in one transaction (its savepoint here; 24 before, 14 with
    # a second read of the addresses, the purge of the rows of ended sessions, now where
    # they are listed, and the session in a transaction of its own, 10 with the addresses,
    # the access and the MFA each read apart).
    assert with_1 == 7
