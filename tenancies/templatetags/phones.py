import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone_fr(value: str) -> str:
    """+33465719999 as a French reader writes it: 04 65 71 99 99."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@register.filter
def phone_href(value: str) -> str:
    """The tel: link of a stored number (E.164 or as written)."""
    return "tel:" + "".join(c for c in value if c.isdigit() or c == "+")
