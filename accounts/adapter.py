import html

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from accounts import activation, lockout, tokens
from accounts.forms import validate_new_password
from core.allauth_bridge import current_request, is_headless_request
from core.client import client_ip
from landlords import scope
from notifications.emails import landlord_from_address, queue_email


class LandlordEmailVerificationStage(EmailVerificationStage):
    """allauth's verification at sign-in, where the host's landlord asks for it: elsewhere
    the link is still sent at sign-up, and the access works before it is opened."""

    def handle(self):
        if not activation.required(self.request):
            self.login.email_verification = EmailVerificationMethod.OPTIONAL
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    """Landlord rules for allauth: sign-up goes through our identity check."""

    def is_open_for_signup(self, request):
        # Logins are created only by accounts.signup, after the identity proof.
        return False

    def send_mail(self, template_prefix, email, context_data):
        request = current_request()
        landlord = scope.request_landlord(request)
        if template_prefix == "account/email/unknown_account" and landlord is not None:
            # allauth's own sign-up is closed: ours starts with the identity proof.
            signup_url = tokens.tenant_link(request, landlord, "signup")
            context_data = {**context_data, "signup_url": signup_url}
        msg = self.render_mail(
            template_prefix, email, {"request": request, "email": email, **context_data}
        )
        # Every email is sent in the name of the landlord whose host it was asked on.
        if landlord is not None:
            msg.from_email = landlord_from_address(landlord)
        # Delivered by a background task written in the current transaction.
        queue_email(msg)

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="",
        message=None,
    ):  # fmt: skip
        # allauth renders a message's text with the request's context processors: the
        # tenant's navigation (two queries) for a sign-in that answers with a redirect.
        # No message template reads them.
        if message is None and message_template and not is_headless_request(request):
            try:
                text = render_to_string(message_template, message_context or {}).strip()
            except TemplateDoesNotExist:
                return
            if not text:
                return
            message = html.unescape(text)
        super().add_message(request, level, extra_tags=extra_tags, message=message)

    def get_email_confirmation_url(self, request, emailconfirmation):
        return tokens.email_confirmation_url(request, emailconfirmation)

    def get_login_stages(self):
        return [
            "accounts.adapter.LandlordEmailVerificationStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

    def respond_email_verification_sent(self, request, user):
        # A sign-in before activating: the page says so, not "Inscription terminée" again,
        # and may send the link again to this login.
        request.session.pop("signup_finished", None)
        if user is not None:
            request.session[activation.PENDING_KEY] = user.pk
        return super().respond_email_verification_sent(request, user)

    def post_login(self, request, user, **kwargs):
        request.session.pop(activation.PENDING_KEY, None)
        response = super().post_login(request, user, **kwargs)
        lockout.remember_device(request, response, user)
        return response

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Per landlord and identifier, the account number included (allauth knows only
        # emails), and per browser for a browser known for this login (accounts.lockout).
        login = credentials.get("email") or credentials.get("account_number") or ""
        return lockout.allauth_key(request, login)

    def get_client_ip(self, request):
        # The same address as our own throttling (trusted proxies), for allauth's rate limits.
        return client_ip(request)

    def clean_password(self, password, user=None):
        return validate_new_password(scope.request_landlord(current_request()), password, user)
