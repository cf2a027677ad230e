from django import template

from servicerequests.insurance import coverage

register = template.Library()


@register.inclusion_tag("servicerequests/includes/insurance_status.html")
def insurance_status(account):
    """Mon compte's line on the home insurance certificate."""
    return {"account": account, "coverage": coverage(account)}
