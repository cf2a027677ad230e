from allauth.account import app_settings
from allauth.account.app_settings import LoginMethod
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.contrib.auth.backends import ModelBackend

from accounts.access import ACCESS_HERE, access_here_query, may_sign_in
from accounts.mfa_adapter import SIGN_IN_MFA, SIGN_IN_TYPES, sign_in_mfa_query
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
        other address of its user."""
        if not email or LoginMethod.EMAIL not in app_settings.LOGIN_METHODS:
            return None
        email = email.lower()
        rows = EmailAddress.objects.filter(user__emailaddress__email=email).select_related("user")
        landlord = scope.request_landlord(self._request)
        tenants_host = landlord is not None and not getattr(self._request, "is_backoffice", False)
        if tenants_host:
            rows = rows.annotate(access_here=access_here_query(landlord))
        rows = list(rows.annotate(sign_in_mfa=sign_in_mfa_query()))
        matching = [row for row in rows if row.email.lower() == email]
        verified = [row for row in matching if row.verified]
        users = {row.user_id: row.user for row in verified or matching}
        for row in verified or matching:
            user = users[row.user_id]
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
