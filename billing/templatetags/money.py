from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from billing import vocabulary
from billing.money import format_euros

register = template.Library()

# A credit says so in words too, not by its sign alone.
CREDIT = '−{}<span class="visually-hidden"> en votre faveur</span>'
HISTORY_ROW = (
    '<tr><td>{}</td><th scope="row">{}</th><td class="amount">{}</td>'
    '<td class="amount">{}</td></tr>\n'
)


@register.filter
def euros(cents: int) -> str:
    return format_euros(cents)


@register.filter
def euros_without_sign(cents: int) -> str:
    """For amounts whose direction the sentence already says ("Vous avez un crédit de …")."""
    return format_euros(abs(cents))


@register.filter
def amount(cents: int) -> str:
    """ "558,70 €", or "12,00 € en votre faveur" for a credit (billing.vocabulary)."""
    return vocabulary.amount_text(cents)


@register.filter
def balance(cents: int) -> str:
    """A balance: "558,70 € à payer", "12,00 € en votre faveur", "0,00 €"."""
    return vocabulary.balance_text(cents)


def _signed_amount(cents: int) -> str:
    return format_euros(cents) if cents >= 0 else format_html(CREDIT, format_euros(-cents))


@register.simple_tag
def history_rows(history) -> SafeString:
    """The rows of a month of history (billing.statement.HistoryMonth): date, label, amount
    and running balance. Built here rather than by a template loop: the history page shows
    hundreds of cells, and each of the engine's lookups and filters costs more than this."""
    return format_html_join(
        "",
        HISTORY_ROW,
        (
            (
                f"{line.entry.date:%d/%m}",
                line.entry.label,
                _signed_amount(line.entry.amount_cents),
                format_euros(line.balance_cents),
            )
            for line in history.lines
        ),
    )
