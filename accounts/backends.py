from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.contrib.auth.backends import ModelBackend

from accounts.access import may_sign_in
from accounts.models import User


class EmailBackend(AuthenticationBackend):
    """allauth's sign-in by email, for a login that may sign in on the request's host.

    The password is checked first, so a login of another landlord costs the same
    hashing as a wrong password and gets the same reply. The user's email addresses are
    read once, for the rest of the sign-in: whether this one is verified (allauth's
    verification stage) and every identifier of the login (accounts.lockout).
    """

    def authenticate(self, request, **credentials):
        if not any(credentials.get(name) for name in ("email", "username", "phone")):
            # A tenant code (AccountNumberBackend's): allauth would hash the password once
            # for nothing, as it does to hide an unknown email, before the real check.
            return None
        user = super().authenticate(request, **credentials)
        if user is None or not may_sign_in(request, user):
            return None
        addresses = list(EmailAddress.objects.filter(user_id=user.pk))
        EmailAddress.objects.fill_cache_for_user(user, addresses)
        return user


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
