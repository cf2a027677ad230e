import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from billing.models import LedgerEntry
from tenancies.bulk import Copies
from tests.factories import TenantAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

ROW = [
    "account_id",
    "reference",
    "date",
    "label",
    "kind",
    "amount_cents",
    "category",
    "billing_period",
]


def entry(account_id: int, reference: str) -> tuple:
    return (
        account_id,
        reference,
        datetime.date(2026, 11, 1),
        "Loyer",
        "charge",
        41230,
        "loyer",
        "",
    )


def test_batches_are_stored_in_the_order_given():
    account = TenantAccountFactory()

    with transaction.atomic(), Copies(LedgerEntry) as copies:
        for batch in range(5):
            copies.insert(LedgerEntry, ROW, [entry(account.pk, f"E{batch}-{n}") for n in range(3)])

    stored = LedgerEntry.objects.order_by("pk").values_list("reference", flat=True)
    assert list(stored) == [f"E{batch}-{n}" for batch in range(5) for n in range(3)]


def test_a_batch_for_an_unknown_account_fails_at_its_copy_not_at_commit():
    account = TenantAccountFactory()

    with pytest.raises(IntegrityError), transaction.atomic(), Copies(LedgerEntry) as copies:
        copies.insert(LedgerEntry, ROW, [entry(account.pk, "E1")])
        copies.insert(LedgerEntry, ROW, [entry(account.pk + 1000, "E2")])
        copies.wait()

    assert not LedgerEntry.objects.exists()


def test_the_foreign_keys_are_deferred_again_after_the_block():
    account = TenantAccountFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        with Copies(LedgerEntry) as copies:
            copies.insert(LedgerEntry, ROW, [entry(account.pk, "E1")])
        # Deferred: an unknown account passes the insert and is caught at the check.
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(**dict(zip(ROW, entry(account.pk + 1000, "E2"), strict=True)))]
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_keys_are_taken_ahead_in_growing_chunks_and_given_once():
    with transaction.atomic(), Copies(LedgerEntry) as copies:
        keys = [copies.keys(LedgerEntry, count) for count in (2, 2, 3)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('billing_ledgerentry', 'id'))")
            (after,) = cursor.fetchone()

    given = [key for chunk in keys for key in chunk]
    assert given == sorted(set(given)) and len(given) == 7
    # Three queries, of 2, then 4, then 8 keys: the last 7 wait for later batches.
    assert after == given[0] + 2 + 4 + 8
