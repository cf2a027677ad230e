from typing import cast

from allauth.account import app_settings
from allauth.account.app_settings import LoginMethod
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from accounts.access import ACCESS_HERE, access_here_sql, may_sign_in
from accounts.mfa_adapter import SIGN_IN_MFA, SIGN_IN_TYPES, sign_in_mfa_sql
from accounts.models import User
from core.allauth_bridge import cached_email_addresses
from landlords import scope


class EmailBackend(AuthenticationBackend):
    """allauth's sign-in by email, for a login that may sign in on the request's host.

    The password is checked first, so a login of another landlord costs the same
    hashing as a wrong password and gets the same reply. The user's email addresses are
    read once, for the rest of the sign-in: whether this one is verified (allauth's
    verification stage) and every identifier of the login (accounts.lockout). They come
    with the lookup of the login by its email (one query where allauth makes two), and so
    do whether it has an access on this host (accounts.access.may_sign_in) and the MFA
    that allauth's sign-in asks about (accounts.mfa_adapter).
    """

    _request = None

    def authenticate(self, request, **credentials):
        if not any(credentials.get(name) for name in ("email", "username", "phone")):
            # A tenant code (AccountNumberBackend's): allauth would hash the password once
            # for nothing, as it does to hide an unknown email, before the real check.
            return None
        self._request = request  # for the lookup (allauth's gives it no request)
        user = super().authenticate(request, **credentials)
        if user is None or not may_sign_in(request, user):
            return None
        if cached_email_addresses(user) is None:  # found by allauth's own lookup
            addresses = list(EmailAddress.objects.filter(user_id=user.pk))
            EmailAddress.objects.fill_cache_for_user(user, addresses)
        return user

    def _authenticate_by_email(self, email: str, password: str):
        """allauth's lookup (`filter_users_by_email(email, prefer_verified=True,
        for_login=True)`: the owners of the verified address, else of the address and the
        users of that email; then the password of each), reading with the address every
        other address of its user, its access here and its MFA. allauth's private method:
        were it renamed, allauth's own lookup would run and the facts be read apart (the
        same answers), which tests/accounts/test_sign_in.py's count of queries tells."""
        if not email or LoginMethod.EMAIL not in app_settings.LOGIN_METHODS:
            return None
        email = email.lower()
        landlord = scope.request_landlord(self._request)
        tenants_host = landlord is not None and not getattr(self._request, "is_backoffice", False)
        rows = _addresses_of_owners(email, landlord if tenants_host else None)
        # allauth's candidates: the addresses stored as the lowercased email, exactly.
        matching = [row for row in rows if row.email == email]
        verified = [row for row in matching if row.verified]
        users = {row.user_id: row.user for row in verified or matching}
        for row in verified or matching:
            user = row.user
            EmailAddress.objects.fill_cache_for_user(
                user, [other for other in rows if other.user_id == user.pk]
            )
            setattr(user, SIGN_IN_MFA, (SIGN_IN_TYPES, row.sign_in_mfa))
            if tenants_host:
                setattr(user, ACCESS_HERE, (landlord.pk, row.access_here))
        if not verified and app_settings.USER_MODEL_EMAIL_FIELD:
            by_field = User.objects.filter(**{app_settings.USER_MODEL_EMAIL_FIELD: email})
            for user in by_field.exclude(pk__in=users):
                if getattr(user, app_settings.USER_MODEL_EMAIL_FIELD).lower() == email:
                    users[user.pk] = user
        for user in users.values():
            if self._check_password(user, password):
                return user
        return None


def _addresses_of_owners(email: str, landlord) -> list[EmailAddress]:
    """Every email address of the logins that have `email`, each with its login (one user
    object per login) and, read with them, `sign_in_mfa` and, given a landlord,
    `access_here`. One statement written here: the ORM would take longer to compile it,
    with its two subqueries, than PostgreSQL to run it (about 1.6 ms of Python a sign-in)."""
    ops = connections[router.db_for_read(User)].ops

    def quote(name: str | None) -> str:  # a concrete field always has its column
        return ops.quote_name(cast(str, name))

    address = EmailAddress._meta
    addresses, users = quote(address.db_table), quote(User._meta.db_table)
    owner_column = quote(address.get_field("user").column)
    owner = f"{addresses}.{owner_column}"
    user_id = f"{users}.{quote(User._meta.pk.column)}"
    mfa, params = sign_in_mfa_sql(quote, user_id)
    access = "NULL"
    if landlord is not None:
        access = access_here_sql(quote, user_id)
        params = [*params, landlord.pk]
    columns = [f"{users}.{quote(field.column)}" for field in User._meta.concrete_fields]
    columns += [
        f"{addresses}.{quote(field.column)} AS {quote('address_' + field.attname)}"
        for field in address.concrete_fields
    ]
    email_column = quote(address.get_field("email").column)
    sql = (  # names from the models' _meta, values as parameters
        f"SELECT {', '.join(columns)}, {mfa} AS sign_in_mfa, {access} AS access_here"  # noqa: S608
        f" FROM {addresses} JOIN {users} ON {user_id} = {owner}"
        f" WHERE {owner} IN (SELECT {owner_column}"
        f" FROM {addresses} WHERE {email_column} = %s)"
    )
    rows: list[EmailAddress] = []
    owners: dict[int, User] = {}
    names = [field.attname for field in address.concrete_fields]
    # Django's raw query gives each column of the users' table its field's conversion.
    for found in User.objects.raw(sql, [*params, email]):
        user = owners.setdefault(found.pk, found)
        row = EmailAddress.from_db(
            user._state.db, names, [getattr(found, f"address_{name}") for name in names]
        )
        row.verified, row.primary = bool(row.verified), bool(row.primary)  # 0 or 1 on SQLite
        row.user = user
        row.sign_in_mfa = bool(getattr(found, "sign_in_mfa"))  # noqa: B009 (a raw column)
        row.access_here = bool(getattr(found, "access_here"))  # noqa: B009
        rows.append(row)
    return rows


class AccountNumberBackend(ModelBackend):
    """Sign-in with the landlord's account number ("code locataire") and the password.

    Each co-signatory of the account has their own login: the password tells whose.
    """

    # Django passes the credentials as keywords: this backend takes its own, not "username".
    def authenticate(  # type: ignore[override]
        self, request, account_number=None, password=None, landlord=None, **kwargs
    ):
        if account_number is None or password is None or landlord is None:
            return None
        candidates = User.objects.filter(
            accesses__signatory__lease__account__landlord=landlord,
            accesses__signatory__lease__account__number=account_number,
        ).distinct()
        found = None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                found = user
        if not candidates:
            # The same hashing work as for a real account: timing tells nothing.
            User().set_password(password)
        if found is not None and not may_sign_in(request, found):
            return None
        return found
