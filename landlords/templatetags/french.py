"""French articles and elision in templates (core.french): `{{ landlord.name_in_sentence|de }}`,
`{{ notice.period|of_month }}`, and the landlord's own words: `{% word "login_submit" %}`."""

from django import template

from core import french

register = template.Library()

register.filter("de", french.de)
register.filter("le", french.le)
register.filter("a", french.a)
register.filter("of_month", french.of_month)
register.filter("month_name", french.month_name)


@register.simple_tag(takes_context=True)
def word(context, key: str) -> str:
    """This landlord's words for a button or link (landlords/wording.py)."""
    landlord = context.get("landlord")
    if landlord is None:
        from landlords.wording import word as default_word

        return default_word(None, key)
    return landlord.word(key)
