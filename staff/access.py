"""What a staff member sees: every back-office query goes through these functions.

A staff member works for one landlord, on that landlord's espace agence host: anything of
another landlord answers 404, exactly like something that does not exist. An agent
d'agence sees only the accounts of their own agencies; the other roles see every
agency of their landlord. Which screens a role has is `StaffMember.can` (staff/roles.py).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from staff.models import StaffMember
from tenancies.models import TenantAccount


def staff_member(request) -> StaffMember | None:
    """The signed-in person's active membership at this host's landlord, or None."""
    if not hasattr(request, "_staff_member"):
        member = None
        user = getattr(request, "user", None)
        if getattr(request, "landlord", None) and user is not None and user.is_authenticated:
            member = (
                StaffMember.objects.select_related("landlord", "user")
                .prefetch_related("agencies")
                .filter(user=user, landlord=request.landlord, is_active=True, user__is_active=True)
                .first()
            )
        request._staff_member = member
    return request._staff_member


def require(request, permission: str | None = None) -> StaffMember:
    """The staff member, or 404 if not one of this landlord's team; 403 without the role."""
    member = staff_member(request)
    if member is None:
        raise Http404
    if permission is not None and not member.can(permission):
        raise PermissionDenied
    return member


def scoped(member: StaffMember, queryset: QuerySet, account_path: str = "account") -> QuerySet:
    """`queryset` narrowed to what `member` may see, through each row's tenant account
    (`account_path` is the lookup from the row to its TenantAccount, "" for accounts)."""
    prefix = f"{account_path}__" if account_path else ""
    queryset = queryset.filter(**{f"{prefix}landlord": member.landlord})
    if member.is_agent:
        queryset = queryset.filter(**{f"{prefix}agency__in": list(member.agencies.all())})
    return queryset


def visible_accounts(member: StaffMember) -> QuerySet[TenantAccount]:
    return scoped(member, TenantAccount.objects.all(), account_path="")


def account_or_404(member: StaffMember, account_id: int) -> TenantAccount:
    return get_object_or_404(
        visible_accounts(member).select_related("landlord", "agency"), pk=account_id
    )


def object_or_404(member: StaffMember, queryset: QuerySet, account_path: str = "account", **kw):
    """One row reached through a visible account (a payment, a login...), else 404."""
    return get_object_or_404(scoped(member, queryset, account_path), **kw)
