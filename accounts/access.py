"""Who may see what: every tenant object is reached through these functions.

A signed-in person sees the accounts of the leases they sign, on the landlord whose
host they are on; any other account id answers 404, exactly like one that does not exist.
Which landlord a request belongs to is `landlords.scope`'s answer.
"""

from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404

from accounts.models import Access
from landlords import scope
from landlords.models import Landlord
from tenancies.models import Lease, Signatory, TenantAccount


def tenant_accounts(request) -> QuerySet[TenantAccount]:
    """The signed-in user's accounts at this host's landlord, in account number order."""
    landlord = scope.request_landlord(request)
    return request.user.accounts().filter(landlord=landlord).order_by("number")


def every_tenant_account(request) -> list[TenantAccount]:
    """Every account the signed-in user may see, at any landlord, with its landlord and
    agency, in account number order: read once per request (one query serves the page, its
    navigation and the links to the person's other landlords)."""
    cached = getattr(request, "_every_tenant_account", None)
    if cached is None or cached[0] != request.user.pk:
        accounts = list(request.user.accounts().select_related("agency").order_by("number"))
        # The host's landlord is the request's (read from the cache): only the others' are read.
        here = scope.request_landlord(request)
        elsewhere = []
        for account in accounts:
            if here is not None and account.landlord_id == here.pk:
                account.landlord = here
            else:
                elsewhere.append(account)
        prefetch_related_objects(elsewhere, "landlord")
        cached = (request.user.pk, accounts)
        request._every_tenant_account = cached
    return cached[1]


def tenant_account_list(request) -> list[TenantAccount]:
    """tenant_accounts(request) as a list, with their landlord and agency (no query once
    every_tenant_account has been read for the request)."""
    landlord = scope.request_landlord(request)
    if landlord is None:
        return []
    return [
        account for account in every_tenant_account(request) if account.landlord_id == landlord.pk
    ]


def landlords_elsewhere(request) -> list[Landlord]:
    """The other active landlords where the signed-in user has an account, with their hosts
    (for the links to their sites), in name order."""
    here = scope.request_landlord(request)
    others = {
        account.landlord_id: account.landlord
        for account in every_tenant_account(request)
        if account.landlord.is_active and (here is None or account.landlord_id != here.pk)
    }
    landlords = sorted(others.values(), key=lambda landlord: (landlord.name, landlord.pk))
    prefetch_related_objects(landlords, "hosts")
    return landlords


def tenant_account_or_404(request, account_id: int) -> TenantAccount:
    for account in tenant_account_list(request):
        if account.pk == account_id:
            return account
    raise Http404("No account of this person here")


# Whether the login has an access to an account of a landlord, as (the landlord's pk, the
# answer), read with the login itself where a sign-in looks it up (accounts.backends).
ACCESS_HERE = "_access_here"


def access_here_sql(quote, user_id: str) -> str:
    """SQL: whether the login whose id is `user_id` (an outer query's column) has an access
    to an account of the landlord given as the one parameter: may_sign_in's question on a
    landlord's tenants' host, for a statement written by hand (`quote`: the connection's
    quote_name)."""
    access, signatory = Access._meta, Signatory._meta
    lease, account = Lease._meta, TenantAccount._meta

    def column(meta, name: str) -> str:
        return f"{quote(meta.db_table)}.{quote(meta.get_field(name).column)}"

    def join(meta, on: str) -> str:
        return f" JOIN {quote(meta.db_table)} ON {column(meta, 'id')} = {on}"

    # Names from the models' _meta, the landlord as a parameter.
    return (
        f"EXISTS (SELECT 1 FROM {quote(access.db_table)}"  # noqa: S608
        + join(signatory, column(access, "signatory"))
        + join(lease, column(signatory, "lease"))
        + join(account, column(lease, "account"))
        + f" WHERE {column(access, 'user')} = {user_id} AND {column(account, 'landlord')} = %s)"
    )


def may_sign_in(request, user) -> bool:
    """Whether `user` (whose password was right) may sign in on the request's host.

    - a landlord's tenants' host: a login with an access to an account of that
      landlord, or one finishing a sign-up there (the identity of a signatory of this
      landlord proven in this session: they sign in to add that account to their login);
    - a landlord's espace agence (`request.is_backoffice`): an active member of that
      landlord's team;
    - a platform host (the Django admin): the platform's staff;
    - no host at all (no request): nobody.
    """
    where = scope.request_scope(request)
    if where == scope.NO_SCOPE:
        return False
    landlord = scope.request_landlord(request)
    if landlord is None:
        return user.is_staff
    if getattr(request, "is_backoffice", False):
        # The staff back office (staff.StaffMember, related name "staff_memberships").
        memberships = getattr(user, "staff_memberships", None)
        return (
            memberships is not None
            and memberships.filter(landlord=landlord, is_active=True).exists()
        )
    known = getattr(user, ACCESS_HERE, None)
    if known is not None and known[0] == landlord.pk:
        has_access = known[1]
    else:
        has_access = user.accesses.filter(signatory__lease__account__landlord=landlord).exists()
    return has_access or _proving_an_account_here(request)


def _proving_an_account_here(request) -> bool:
    from accounts.signup import signup_state

    state = signup_state(request)
    return bool(state and state["proven"])
