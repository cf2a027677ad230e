"""Money said one way: what is due now, what is overdue, what falls due next, a credit.

Every page (Mon compte, Situation de votre compte, Mes documents, Règlement en ligne, the
espace agence's "voir comme le locataire"), every document (facts) and every email
takes its amounts and their words from here, computed once per account (`position`):

- **à payer** (due now): the balance when positive, everything the tenant owes today;
- **impayé** (overdue): the part of it whose due date has passed
  (`statement.arrears_cents`); the rest is billed but not yet due;
- **prochaine échéance** (falls due next): the next due date whose month is not paid
  yet, with what remains to pay for it; a due date already paid is said to be paid;
- **en votre faveur** (a credit): a negative balance, never shown as "-12,00 €".

"Vous devez 1 201,90 €" and "un impayé de 643,20 €" are both true when 558,70 € of it
is not yet due: the headline says both, and why they differ.
"""

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format

from billing import statement
from billing.models import LedgerEntry
from billing.money import format_euros

CREDIT_WORDS = "en votre faveur"


def day_text(day: datetime.date) -> str:
    """ "1er décembre 2026", "5 décembre 2026"."""
    return f"{day.day}{'er' if day.day == 1 else ''} {date_format(day, 'F Y')}"


def amount_text(cents: int) -> str:
    """An amount as the tenant reads it: "558,70 €", or "12,00 € en votre faveur"."""
    if cents < 0:
        return f"{format_euros(-cents)} {CREDIT_WORDS}"
    return format_euros(cents)


def balance_text(cents: int) -> str:
    """A balance on a date (a notice's "Solde au"): "558,70 € à payer", "12,00 € en votre
    faveur", "0,00 €"."""
    if cents > 0:
        return f"{format_euros(cents)} à payer"
    return amount_text(cents)


def headline(balance_cents: int) -> str:
    if balance_cents > 0:
        return f"Vous devez {format_euros(balance_cents)}"
    if balance_cents < 0:
        return f"Vous avez {format_euros(-balance_cents)} {CREDIT_WORDS}"
    return "Votre compte est à jour : vous ne devez rien"


def overdue_text(overdue_cents: int) -> str:
    return (
        f"un impayé de {format_euros(overdue_cents)} (échéances dont la date limite de "
        "paiement est passée)"
    )


@dataclass(frozen=True)
class NextDue:
    date: datetime.date
    cents: int | None  # what is left to pay for it; None when nothing is known
    estimated: bool  # the month is not billed yet: the amount of the latest notice


@dataclass(frozen=True)
class Position:
    """An account's money on a day, in the one vocabulary (see the module docstring)."""

    balance_cents: int
    overdue_cents: int
    not_yet_due_cents: int
    next_due: NextDue
    paid_due_date: datetime.date | None  # the due date before `next_due`, already paid
    last_payment: LedgerEntry | None

    @property
    def due_now_cents(self) -> int:
        return max(self.balance_cents, 0)

    @property
    def credit_cents(self) -> int:
        return max(-self.balance_cents, 0)

    # Kept for the templates that read a Summary (billing.statement.summary).
    @property
    def next_due_date(self) -> datetime.date:
        return self.next_due.date

    @property
    def next_amount_cents(self) -> int | None:
        return self.next_due.cents

    @property
    def headline(self) -> str:
        """ "Vous devez 1 201,90 €", "Vous avez 12,00 € en votre faveur", "Votre compte est
        à jour : vous ne devez rien"."""
        return headline(self.balance_cents)

    @property
    def detail(self) -> str:
        """What the headline's amount is made of, when it is owed: overdue or not yet due."""
        if self.balance_cents <= 0:
            return ""
        if self.overdue_cents and self.not_yet_due_cents:
            return (
                f"Dont {overdue_text(self.overdue_cents)} et "
                f"{format_euros(self.not_yet_due_cents)} à payer avant le "
                f"{day_text(self.next_due.date)}."
            )
        if self.overdue_cents:
            return f"C'est {overdue_text(self.overdue_cents)}."
        return f"À payer avant le {day_text(self.next_due.date)} : rien n'est en retard."

    @property
    def sentence(self) -> str:
        """The headline and its detail, for an email or a document."""
        return f"{self.headline}. {self.detail}".strip()

    @property
    def next_due_text(self) -> str:
        """ "le 5 décembre 2026 : 558,70 €", "le 5 janvier 2027 : environ 470,30 € (montant
        de votre dernier avis)", "le 5 décembre 2026 : rien à payer, déjà réglée"."""
        due = self.next_due
        text = f"le {day_text(due.date)}"
        if due.cents is None:
            return text
        if due.cents == 0:
            return f"{text} : rien à payer, déjà réglée"
        if due.estimated:
            return f"{text} : environ {format_euros(due.cents)} (montant de votre dernier avis)"
        return f"{text} : {format_euros(due.cents)}"

    @property
    def paid_due_text(self) -> str:
        """ "Échéance du 5 décembre 2026 déjà réglée": said, not mistaken for what is next."""
        if self.paid_due_date is None:
            return ""
        return f"Échéance du {day_text(self.paid_due_date)} déjà réglée"

    @property
    def certificate_refusal(self) -> str | None:
        """Why there is no attestation de loyer à jour today (None: there can be one)."""
        if not self.overdue_cents:
            return None
        refusal = (
            "L'attestation de loyer à jour n'est pas disponible : votre compte présente "
            f"{overdue_text(self.overdue_cents)}. Elle le sera dès que cette somme sera réglée."
        )
        if self.not_yet_due_cents:
            refusal += (
                f" Vous devez en tout {format_euros(self.balance_cents)}, dont "
                f"{format_euros(self.not_yet_due_cents)} à payer avant le "
                f"{day_text(self.next_due.date)}, qui n'est pas un impayé."
            )
        return refusal


def position(entries: list[LedgerEntry], due_day: int, today: datetime.date) -> Position:
    balance = statement.balance_cents(entries)
    overdue = statement.arrears_cents(entries, due_day, today)
    by_period = {s.period: s for s in statement.settlements(entries, due_day)}
    periods = sorted(by_period)
    due = statement.next_due_date(due_day, today)
    paid_due = None
    # A due date whose month is already paid is not what falls due next: the one after.
    for _ in range(12):
        settlement = by_period.get(statement.month_start(due))
        if settlement is None or settlement.charged_cents <= 0 or settlement.remaining_cents:
            break
        paid_due = due
        due = statement.due_date(statement.add_months(due, 1), due_day)
    settlement = by_period.get(statement.month_start(due))
    if settlement is not None and settlement.charged_cents > 0:
        next_due = NextDue(due, settlement.remaining_cents, estimated=False)
    elif settlement is not None:
        next_due = NextDue(due, 0, estimated=False)  # housing aid above the rent
    elif periods:
        latest = by_period[periods[-1]].charged_cents
        next_due = NextDue(due, max(latest, 0), estimated=True)
    else:
        next_due = NextDue(due, None, estimated=False)
    payments = [e for e in entries if not statement.is_notice_line(e)]
    return Position(
        balance_cents=balance,
        overdue_cents=overdue,
        not_yet_due_cents=max(balance - overdue, 0) if balance > 0 else 0,
        next_due=next_due,
        paid_due_date=paid_due,
        last_payment=payments[-1] if payments else None,
    )


def account_position(account, today: datetime.date) -> Position:
    return position(statement.ledger(account), account.landlord.rent_due_day, today)
