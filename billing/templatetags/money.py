from django import template

from billing import vocabulary
from billing.money import format_euros

register = template.Library()


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
