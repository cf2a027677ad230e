from django import template

from billing.money import format_euros

register = template.Library()


@register.filter
def euros(cents: int) -> str:
    return format_euros(cents)


@register.filter
def euros_without_sign(cents: int) -> str:
    """For amounts whose direction the sentence already says ("Vous avez un crédit de …")."""
    return format_euros(abs(cents))
