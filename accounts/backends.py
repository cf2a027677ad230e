from django.contrib.auth.backends import ModelBackend

from accounts.models import User


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
        return found
