from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.urls import reverse

from accounts.forms import validate_new_password
from notifications.emails import landlord_from_address, queue_email


class AccountAdapter(DefaultAccountAdapter):
    """Landlord rules for allauth: sign-up goes through our identity check."""

    def is_open_for_signup(self, request):
        # Logins are created only by accounts.signup, after the identity proof.
        return False

    def send_mail(self, template_prefix, email, context_data):
        request = context.request
        msg = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context_data}
        )
        if getattr(request, "landlord", None):
            msg.from_email = landlord_from_address(request.landlord)
        # Delivered by a background task written in the current transaction.
        queue_email(msg)

    def get_email_confirmation_url(self, request, emailconfirmation):
        # Sent by staff from the espace agence: the link opens the tenants' portal.
        if getattr(request, "is_backoffice", False):
            path = reverse(
                "account_confirm_email", args=[emailconfirmation.key], urlconf=settings.ROOT_URLCONF
            )
            return request.landlord.public_url(path)
        return super().get_email_confirmation_url(request, emailconfirmation)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Per landlord and identifier, the account number included (allauth knows only emails).
        login = credentials.get("email") or credentials.get("account_number") or ""
        return f"{getattr(request.landlord, 'pk', '-')}:{login.lower()}"

    def clean_password(self, password, user=None):
        return validate_new_password(getattr(context.request, "landlord", None), password, user)
