"""How the ledger reads: history, the month's notice, which months are paid, arrears."""

import datetime

from billing import statement
from billing.models import LedgerEntry

CHARGE, PAYMENT, ADJUSTMENT = (
    LedgerEntry.Kind.CHARGE,
    LedgerEntry.Kind.PAYMENT,
    LedgerEntry.Kind.ADJUSTMENT,
)
DUE_DAY = 5


def entry(day, cents, kind=CHARGE, label="Loyer", category="loyer", period=None):
    date = datetime.date.fromisoformat(day)
    return LedgerEntry(
        date=date,
        amount_cents=cents,
        kind=kind,
        label=label,
        category=category,
        period=period or (date.replace(day=1) if kind != PAYMENT else None),
    )


def month(iso):
    return datetime.date.fromisoformat(iso + "-01")


def rent_month(iso, rent=40000, charges=6000):
    return [
        entry(f"{iso}-01", rent),
        entry(f"{iso}-01", charges, label="Provision pour charges", category="charges"),
    ]


def paid(day, cents):
    return entry(day, -cents, kind=PAYMENT, label="Paiement reçu", category="paiement")


def test_history_groups_by_month_with_a_running_balance():
    entries = [*rent_month("2026-10"), paid("2026-10-05", 46000), *rent_month("2026-11")]

    months = statement.history(entries)

    assert [m.month for m in months] == [month("2026-10"), month("2026-11")]
    assert [line.balance_cents for line in months[0].lines] == [40000, 46000, 0]
    assert months[1].opening_balance_cents == 0
    assert months[1].closing_balance_cents == 46000
    assert (months[0].charged_cents, months[0].paid_cents) == (46000, 46000)


def test_a_notice_states_its_lines_the_previous_balance_and_the_amount_due():
    entries = [*rent_month("2026-10"), paid("2026-10-05", 30000), *rent_month("2026-11")]

    notice = statement.notice(entries, month("2026-11"), DUE_DAY)

    assert [line.label for line in notice.lines] == ["Loyer", "Provision pour charges"]
    assert notice.previous_balance_cents == 16000
    assert notice.balance_date == datetime.date(2026, 10, 31)
    assert notice.total_cents == 46000
    assert notice.amount_due_cents == 62000
    assert notice.due_date == datetime.date(2026, 11, 5)
    assert (notice.rent_cents, notice.charges_cents, notice.aid_cents) == (40000, 6000, 0)


def test_a_month_without_billed_lines_has_no_notice():
    assert statement.notice([paid("2026-11-05", 100)], month("2026-11"), DUE_DAY) is None


def test_housing_aid_is_its_own_part_of_the_notice():
    entries = [*rent_month("2026-11"), entry("2026-11-01", -15000, label="APL", category="apl")]

    notice = statement.notice(entries, month("2026-11"), DUE_DAY)

    assert (notice.rent_cents, notice.charges_cents, notice.aid_cents) == (40000, 6000, -15000)
    assert notice.total_cents == 31000


def test_an_adjustment_is_a_line_of_the_month_it_is_billed_for():
    adjustment = entry(
        "2026-11-15", 8450, ADJUSTMENT, "Régularisation des charges", "regularisation"
    )
    entries = [*rent_month("2026-11"), adjustment]

    assert statement.notice(entries, month("2026-11"), DUE_DAY).total_cents == 54450


def test_an_earlier_month_billed_late_is_carried_into_the_previous_balance():
    late = entry(
        "2026-11-12", 3000, ADJUSTMENT, "Régularisation", "regularisation", month("2026-10")
    )
    early_payment = paid("2026-11-03", 46000)
    entries = [*rent_month("2026-10"), *rent_month("2026-11"), early_payment, late]

    notice = statement.notice(entries, month("2026-11"), DUE_DAY)

    # October (46000) and its late adjustment (3000); November's own payment comes after.
    assert notice.previous_balance_cents == 49000
    assert notice.amount_due_cents == 49000 + 46000


def test_payments_settle_the_oldest_month_first():
    entries = [*rent_month("2026-09"), *rent_month("2026-10"), paid("2026-10-20", 50000)]

    september, october = statement.settlements(entries, DUE_DAY)

    assert september.fully_paid and september.paid_on == datetime.date(2026, 10, 20)
    assert october.partly_paid and not october.fully_paid
    assert (october.paid_cents, october.remaining_cents) == (4000, 42000)


def test_a_month_paid_in_several_times_is_paid_on_the_last_payment():
    entries = [*rent_month("2026-11"), paid("2026-11-03", 20000), paid("2026-11-09", 26000)]

    (november,) = statement.settlements(entries, DUE_DAY)

    assert november.fully_paid
    assert november.payments == [
        (datetime.date(2026, 11, 3), 20000),
        (datetime.date(2026, 11, 9), 26000),
    ]
    assert november.paid_on == datetime.date(2026, 11, 9)


def test_a_month_covered_by_housing_aid_settles_older_debts():
    covered = entry("2026-11-01", -50000, label="APL", category="apl")
    entries = [*rent_month("2026-10"), *rent_month("2026-11", rent=0, charges=0), covered]

    october, november = statement.settlements(entries, DUE_DAY)

    assert november.charged_cents == -50000 and november.fully_paid
    assert october.fully_paid


def test_an_advance_payment_settles_the_next_month_when_it_is_billed():
    entries = [*rent_month("2026-10"), paid("2026-10-02", 92000), *rent_month("2026-11")]

    october, november = statement.settlements(entries, DUE_DAY)

    assert october.fully_paid and november.fully_paid


def test_arrears_leave_out_what_is_not_yet_due():
    entries = [*rent_month("2026-10"), paid("2026-10-05", 46000), *rent_month("2026-11")]

    assert statement.arrears_cents(entries, DUE_DAY, datetime.date(2026, 11, 4)) == 0
    assert statement.arrears_cents(entries, DUE_DAY, datetime.date(2026, 11, 6)) == 46000


def test_an_account_in_credit_has_no_arrears():
    entries = [*rent_month("2026-11"), paid("2026-11-01", 50000)]

    assert statement.arrears_cents(entries, DUE_DAY, datetime.date(2026, 11, 30)) == 0


def test_the_next_due_date_is_this_month_until_it_passes():
    assert statement.next_due_date(5, datetime.date(2026, 11, 5)) == datetime.date(2026, 11, 5)
    assert statement.next_due_date(5, datetime.date(2026, 11, 6)) == datetime.date(2026, 12, 5)
    assert statement.next_due_date(10, datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 10)


def test_the_summary_gives_the_next_due_amount_and_the_last_payment():
    entries = [*rent_month("2026-10"), paid("2026-10-05", 46000), *rent_month("2026-11")]

    summary = statement.summary(entries, DUE_DAY, datetime.date(2026, 11, 20))

    assert summary.balance_cents == 46000
    assert summary.next_due_date == datetime.date(2026, 12, 5)
    # December is not billed yet: November's notice is the best guess.
    assert summary.next_amount_cents == 46000
    assert summary.last_payment.date == datetime.date(2026, 10, 5)


def test_an_empty_ledger_has_a_summary_without_amounts():
    summary = statement.summary([], DUE_DAY, datetime.date(2026, 11, 20))

    assert (summary.balance_cents, summary.next_amount_cents, summary.last_payment) == (
        0,
        None,
        None,
    )
