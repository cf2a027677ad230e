import pytest

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from tests.factories import LedgerEntryFactory, TenantAccountFactory

pytestmark = pytest.mark.django_db


def test_balance_is_the_sum_of_the_ledger():
    account = TenantAccountFactory()
    LedgerEntryFactory(account=account, amount_cents=41230)
    LedgerEntryFactory(account=account, amount_cents=5800)
    LedgerEntryFactory(account=account, kind=LedgerEntry.Kind.PAYMENT, amount_cents=-47030)
    LedgerEntryFactory(account=account, amount_cents=-1200, kind=LedgerEntry.Kind.ADJUSTMENT)

    assert account_balance_cents(account) == -1200


def test_account_without_entries_has_a_zero_balance():
    assert account_balance_cents(TenantAccountFactory()) == 0


def test_other_accounts_entries_do_not_count():
    account = TenantAccountFactory()
    LedgerEntryFactory(account=account, amount_cents=100)
    LedgerEntryFactory(amount_cents=99999)

    assert account_balance_cents(account) == 100
