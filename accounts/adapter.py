from allauth.account.adapter import DefaultAccountAdapter

from accounts.allauth_bridge import current_request
from accounts.forms import validate_new_password
from notifications.emails import landlord_from_address, queue_email


class AccountAdapter(DefaultAccountAdapter):
    """Landlord rules for allauth: sign-up goes through our identity check."""

    def is_open_for_signup(self, request):
        # Logins are created only by accounts.signup, after the identity proof.
        return False

    def send_mail(self, template_prefix, email, context_data):
        request = current_request()
        msg = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context_data}
        )
        if getattr(request, "landlord", None):
            msg.from_email = landlord_from_address(request.landlord)
        # Delivered by a background task written in the current transaction.
        queue_email(msg)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Per landlord and identifier, the account number included (allauth knows only emails).
        login = credentials.get("email") or credentials.get("account_number") or ""
        return f"{getattr(request.landlord, 'pk', '-')}:{login.lower()}"

    def clean_password(self, password, user=None):
        return validate_new_password(getattr(current_request(), "landlord", None), password, user)
