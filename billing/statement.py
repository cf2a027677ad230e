"""How a tenant's ledger reads: month by month, each month's notice, which months are paid.

Every function takes the account's entries as one list (`ledger(account)`: one query),
so the pages and documents built on them cost the same number of queries whatever
the length of the ledger.

Words: a *notice line* is anything billed (a charge or an adjustment, APL included as a
negative charge); a *credit* is money received (a payment). Payments settle the oldest
months first (Code civil, art. 1342-10), which tells which months are fully paid.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from billing import categories
from billing.models import LedgerEntry
from tenancies.models import TenantAccount


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, 1)


def due_date(period: datetime.date, due_day: int) -> datetime.date:
    return period.replace(day=due_day)


def next_due_date(due_day: int, today: datetime.date) -> datetime.date:
    this_month = due_date(month_start(today), due_day)
    return this_month if today <= this_month else due_date(add_months(today, 1), due_day)


def ledger(account: TenantAccount) -> list[LedgerEntry]:
    return list(account.ledger_entries.order_by("date", "reference", "pk"))


def is_notice_line(entry: LedgerEntry) -> bool:
    # A refund gives back part of a payment: it is the payments' side, never a notice's.
    return entry.kind not in (LedgerEntry.Kind.PAYMENT, LedgerEntry.Kind.REFUND)


def entry_period(entry: LedgerEntry) -> datetime.date:
    """The month an entry is billed for: its `periode`, else the month of its date."""
    return entry.period or month_start(entry.date)


def balance_cents(entries: Iterable[LedgerEntry]) -> int:
    """What the tenant owes (positive) or has in credit (negative): the sum of the ledger.

    The one definition of a balance: it is never stored.
    """
    return sum(entry.amount_cents for entry in entries)


def account_balance_cents(account: TenantAccount) -> int:
    """An account's balance, reading only the amounts of its entries."""
    # No ordering: the default one would join the account and the landlord for a sum.
    entries = LedgerEntry.objects.filter(account=account).order_by().only("amount_cents")
    return balance_cents(entries)


# --- History ("Situation de votre compte") ---------------------------------------------


@dataclass
class HistoryLine:
    entry: LedgerEntry
    balance_cents: int  # the running balance after this entry


@dataclass
class HistoryMonth:
    month: datetime.date
    opening_balance_cents: int
    lines: list[HistoryLine] = field(default_factory=list)

    @property
    def closing_balance_cents(self) -> int:
        return self.lines[-1].balance_cents if self.lines else self.opening_balance_cents

    @property
    def charged_cents(self) -> int:
        return sum(line.entry.amount_cents for line in self.lines if is_notice_line(line.entry))

    @property
    def paid_cents(self) -> int:
        return -sum(
            line.entry.amount_cents for line in self.lines if not is_notice_line(line.entry)
        )


def history(entries: list[LedgerEntry]) -> list[HistoryMonth]:
    """The entries month by month (by entry date), oldest first, with a running balance."""
    months: list[HistoryMonth] = []
    running = 0
    for entry in entries:
        month = month_start(entry.date)
        if not months or months[-1].month != month:
            months.append(HistoryMonth(month=month, opening_balance_cents=running))
        running += entry.amount_cents
        months[-1].lines.append(HistoryLine(entry=entry, balance_cents=running))
    return months


# --- The monthly notice (avis d'échéance) ------------------------------------------------


@dataclass
class Notice:
    """What a month's rent notice states."""

    period: datetime.date
    lines: list[LedgerEntry]
    previous_balance_cents: int  # "Solde au" the day before the period
    due_date: datetime.date

    @property
    def balance_date(self) -> datetime.date:
        return self.period - datetime.timedelta(days=1)

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def amount_due_cents(self) -> int:
        return self.previous_balance_cents + self.total_cents

    @property
    def rent_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if categories.is_rent(line.category))

    @property
    def aid_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines if categories.is_aid(line.category))

    @property
    def charges_cents(self) -> int:
        """Everything billed that is neither rent nor housing aid."""
        return self.total_cents - self.rent_cents - self.aid_cents


def notice_periods(entries: list[LedgerEntry]) -> list[datetime.date]:
    return sorted({entry_period(e) for e in entries if is_notice_line(e)})


def notice(entries: list[LedgerEntry], period: datetime.date, due_day: int) -> Notice | None:
    """The notice of `period` (a first of month), or None when nothing is billed for it."""
    lines = [e for e in entries if is_notice_line(e) and entry_period(e) == period]
    if not lines:
        return None
    in_lines = {id(line) for line in lines}
    # Everything before the month, and what was billed for an earlier month even if it was
    # posted later (a late adjustment is still owed): the balance the notice carries over.
    previous = sum(
        e.amount_cents
        for e in entries
        if id(e) not in in_lines
        and (e.date < period or (is_notice_line(e) and entry_period(e) < period))
    )
    return Notice(
        period=period,
        lines=lines,
        previous_balance_cents=previous,
        due_date=due_date(period, due_day),
    )


def billed_notice(entries: list[LedgerEntry], period: datetime.date, due_day: int) -> Notice:
    """The notice of a month known to be billed (one of `notice_periods` or `month_receipts`)."""
    found = notice(entries, period, due_day)
    if found is None:
        raise ValueError(f"nothing is billed for {period:%m/%Y}")
    return found


# --- Which months are paid (quittance or reçu) ------------------------------------------


@dataclass
class Settlement:
    """How much of a month's notice has been paid, and by which payments."""

    period: datetime.date
    charged_cents: int
    due_date: datetime.date
    payments: list[tuple[datetime.date, int]] = field(default_factory=list)

    @property
    def paid_cents(self) -> int:
        return sum(cents for _, cents in self.payments)

    @property
    def remaining_cents(self) -> int:
        return max(self.charged_cents - self.paid_cents, 0)

    @property
    def fully_paid(self) -> bool:
        return self.paid_cents >= self.charged_cents

    @property
    def partly_paid(self) -> bool:
        return 0 < self.paid_cents < self.charged_cents

    @property
    def paid_on(self) -> datetime.date | None:
        """The date of the payment that settled the month in full."""
        return self.payments[-1][0] if self.fully_paid and self.payments else None


def settlements(entries: list[LedgerEntry], due_day: int) -> list[Settlement]:
    """Every billed month, oldest first, with the payments that settle it (oldest month first).

    A month whose lines add up to a credit (housing aid above the rent, a refund) has nothing
    to pay; its credit settles the oldest unpaid months, like a payment dated its first day.
    """
    charged: dict[datetime.date, int] = defaultdict(int)
    for entry in entries:
        if is_notice_line(entry):
            charged[entry_period(entry)] += entry.amount_cents
    months = [
        Settlement(period=p, charged_cents=charged[p], due_date=due_date(p, due_day))
        for p in sorted(charged)
    ]
    credits = [(e.date, -e.amount_cents) for e in entries if not is_notice_line(e)]
    credits += [(m.period, -m.charged_cents) for m in months if m.charged_cents < 0]
    credits.sort(key=lambda credit: credit[0])
    owed = [m for m in months if m.charged_cents > 0]
    oldest = 0
    for day, cents in credits:
        while cents > 0 and oldest < len(owed):
            month = owed[oldest]
            applied = min(cents, month.remaining_cents)
            month.payments.append((day, applied))
            cents -= applied
            if month.remaining_cents == 0:
                oldest += 1
    return months


def arrears_cents(entries: list[LedgerEntry], due_day: int, today: datetime.date) -> int:
    """What is owed past its due date: the balance, less what is billed but not yet due."""
    not_yet_due = sum(
        e.amount_cents
        for e in entries
        if is_notice_line(e) and due_date(entry_period(e), due_day) >= today
    )
    return max(balance_cents(entries) - not_yet_due, 0)


# --- "Mon compte" at a glance -------------------------------------------------------------


@dataclass
class Summary:
    balance_cents: int
    next_due_date: datetime.date
    # What the next notice will ask, as far as known: that month's lines once billed,
    # else the latest month billed (rent rarely changes from one month to the next).
    next_amount_cents: int | None
    last_payment: LedgerEntry | None


def summary(entries: list[LedgerEntry], due_day: int, today: datetime.date) -> Summary:
    next_due = next_due_date(due_day, today)
    periods = notice_periods(entries)
    period = month_start(next_due)
    if period not in periods and periods:
        period = periods[-1]
    billed = notice(entries, period, due_day) if periods else None
    payments = [e for e in entries if not is_notice_line(e)]
    return Summary(
        balance_cents=balance_cents(entries),
        next_due_date=next_due,
        next_amount_cents=billed.total_cents if billed else None,
        last_payment=payments[-1] if payments else None,
    )
