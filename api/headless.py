"""allauth's headless endpoints for the store apps, with the portal's rules where the web
pages have their own (docs/api.md):

- sign-in takes the identifier this landlord's pages ask for (the email, or the tenant
  code at Habitat Hauts-de-France) through the web's own form (accounts.forms.LoginForm:
  lockout with growing delays, only logins that may sign in on this host);
- a reset link is asked through the web's form (accounts.forms.ResetPasswordForm: only a
  login of this landlord gets one; the anti-robot check where the landlord uses one);
- the activation key is the one of the link in the email, sealed for this landlord's host
  (accounts.tokens): it opens only here.

Everything else (session, sign-out, the reset itself) is allauth's as it comes.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path

from accounts.forms import LoginForm, ResetPasswordForm
from core.allauth_bridge import (
    AuthenticationResponse,
    Input,
    LoginView,
    RequestPasswordResetView,
    VerifyEmailInput,
    VerifyEmailView,
    current_request,
)
from landlords import scope


class LoginInput(LoginForm, Input):
    """{"login": the email or the tenant code, "password"}; "email" is accepted for
    "login", as allauth's own clients send it."""

    def __init__(self, data: dict | None = None, *args: Any, **kwargs: Any) -> None:
        data = dict(data or {})
        if "login" not in data and "email" in data:
            data["login"] = data.pop("email")
        data.pop("remember", None)
        super().__init__(data, *args, **kwargs)


class AppLoginView(LoginView):
    input_class = LoginInput  # type: ignore[assignment]

    def get_input_kwargs(self) -> dict:
        return {"request": self.request}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return super().post(request, *args, **kwargs)  # allauth's 409
        return AuthenticationResponse.from_response(request, self.input.login(request))


class ResetInput(ResetPasswordForm, Input):
    pass


class AppRequestPasswordResetView(RequestPasswordResetView):
    input_class = ResetInput  # type: ignore[assignment]


class SealedKeyInput(VerifyEmailInput):
    """The key of the activation or email change link, sealed for this landlord's host."""

    def __init__(self, data: dict | None = None, *args: Any, **kwargs: Any) -> None:
        data = dict(data or {})
        if "key" in data:
            data["key"] = scope.unseal(current_request(), str(data["key"])) or "-"
        super().__init__(data, *args, **kwargs)


class AppVerifyEmailView(VerifyEmailView):
    input_class = SealedKeyInput  # type: ignore[assignment]


# Before allauth's own URLs, at the same addresses (config/urls.py).
client = {"client": "app"}
urlpatterns = [
    path("auth/login", AppLoginView.as_api_view(**client), name="app_login"),
    path(
        "auth/password/request",
        AppRequestPasswordResetView.as_api_view(**client),
        name="app_password_request",
    ),
    path("auth/email/verify", AppVerifyEmailView.as_api_view(**client), name="app_email_verify"),
]
