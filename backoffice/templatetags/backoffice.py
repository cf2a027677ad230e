from django import template

from core.phones import national as national_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """ "+33612345661" → "06 12 34 56 61"; empty stays empty."""
    return national_phone(e164) if e164 else ""
