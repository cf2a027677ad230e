"""Who may see what: every tenant object is reached through these two functions.

A signed-in person sees the accounts of the leases they sign, on the landlord whose
host they are on; any other account id answers 404, exactly like one that does not exist.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tenancies.models import TenantAccount


def tenant_accounts(request) -> QuerySet[TenantAccount]:
    """The signed-in user's accounts at this host's landlord, in account number order."""
    return request.user.accounts().filter(landlord=request.landlord).order_by("number")


def tenant_account_or_404(request, account_id: int) -> TenantAccount:
    return get_object_or_404(
        tenant_accounts(request).select_related("landlord", "agency"), pk=account_id
    )
