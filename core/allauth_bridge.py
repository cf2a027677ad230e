"""Every name of django-allauth's that is not its documented API, in one place.

allauth's `internal` modules, its `core.context` and the private attributes of its forms
may change in any release. The portal reaches them only through this module, and
tests/accounts/test_allauth_bridge.py imports each of them, so an allauth upgrade that
moves one fails that test rather than a page. pyproject.toml keeps allauth below its
next major version.
"""

from typing import Any

from allauth.account.forms import LoginForm
from allauth.account.internal.flows.email_verification import (
    consume_email_verification_rate_limit,
)
from allauth.account.internal.flows.password_change import (
    change_password,
    finalize_password_change,
)
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.models import Login, get_emailconfirmation_model
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import is_headless_request
from allauth.headless.account.inputs import RequestPasswordResetInput, VerifyEmailInput
from allauth.headless.account.views import LoginView, RequestPasswordResetView, VerifyEmailView
from allauth.headless.base.response import AuthenticationResponse
from allauth.headless.internal.decorators import app_view
from allauth.headless.internal.restkit.inputs import Input
from allauth.headless.internal.sessionkit import expose_session_token
from allauth.headless.spec.internal.schema import get_schema
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.internal.flows.sessions import end_other_sessions, end_sessions

__all__ = [
    "SECRET_SESSION_KEY",
    "TOTP",
    "AuthenticationResponse",
    "Input",
    "LoginView",
    "RequestPasswordResetInput",
    "RequestPasswordResetView",
    "SessionTokenStrategy",
    "VerifyEmailInput",
    "VerifyEmailView",
    "app_view",
    "cached_email_addresses",
    "change_password",
    "complete_signup",
    "consume_email_verification_rate_limit",
    "current_request",
    "end_other_sessions",
    "end_sessions",
    "expose_session_token",
    "finalize_password_change",
    "format_hotp_value",
    "generate_totp_secret",
    "get_emailconfirmation_model",
    "get_schema",
    "hotp_value",
    "is_headless_request",
    "is_mfa_enabled",
    "ratelimit",
    "sign_in_as",
    "yield_hotp_counters_from_time",
]


def current_request() -> Any:
    """The request allauth is handling (its forms and adapter get no request argument)."""
    return context.request


def cached_email_addresses(user: Any) -> list | None:
    """The user's email addresses given to allauth's manager for this request
    (`EmailAddress.objects.fill_cache_for_user`), or None: its private attribute."""
    return getattr(user, "_emailaddress_cache", None)


def sign_in_as(form: LoginForm, user: Any) -> None:
    """What allauth's LoginForm.clean() leaves for its login view: the login to perform."""
    form._login = Login(user=user)
