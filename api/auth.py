"""How the app API knows who is calling: allauth's session token, on this landlord's host.

Every view of the app API runs as one of allauth's headless "app" views (`app_view`): the
request's session is the one of the `X-Session-Token` header (api/tokens.py refuses a
token of another landlord's host), never the browser's cookie; a missing session is a new,
empty one. `SessionToken` then lets in a signed-in tenant only, with the web's session
rules: 30 minutes without activity, 12 hours after sign-in (accounts.middleware).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja.security import APIKeyHeader

from accounts.middleware import past_max_age
from core.allauth_bridge import app_view, expose_session_token

TOKEN_HEADER = "X-Session-Token"  # noqa: S105


class SessionToken(APIKeyHeader):
    """The session token given by the sign-in (`meta.session_token`)."""

    param_name = TOKEN_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not key or not user.is_authenticated:
            return None
        if past_max_age(request.session):
            logout(request)
            return None
        # Saved at the end of the request (app_view): the idle timeout starts again.
        request.session.modified = True
        return user


def with_token_sessions(urls: tuple) -> tuple:
    """The API's URL patterns, each view run inside allauth's app session handling."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        callback: Callable = pattern.callback
        pattern.callback = app_view(callback)
    return patterns, app_name, namespace


def session_token(request: HttpRequest) -> str | None:
    """The token of the session this request has just filled, to give to the app (None
    when the app's token is still the right one)."""
    return expose_session_token(request)
