from django import template

from documents.services import of_month

register = template.Library()

register.filter("of_month", of_month)


@register.filter
def iso_date(value):
    """A stored fact's ISO date ("2026-12-03") as a date, for the `date` filter."""
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
