"""The store apps' session tokens (allauth headless, HEADLESS_TOKEN_STRATEGY).

A session token is the key of a Django session, like the portal's cookie. It is bound to
the landlord whose host issued it, as a cookie session is (landlords.scope): the binding
is written when the token is handed out, and a token presented on another landlord's host
(or on a host of no landlord) is looked up as no session at all, so allauth answers 410
and the app API 401, and nothing of that session is read or changed.
"""

import logging

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from core.allauth_bridge import SessionTokenStrategy, current_request
from landlords import scope

logger = logging.getLogger(__name__)


def session_here(request: HttpRequest | None, session: SessionBase | None) -> SessionBase | None:
    """`session` if it is bound to the request's landlord, else None."""
    if session is None:
        return None
    here = scope.request_scope(request)
    bound = scope.session_scope(session)
    if here == scope.NO_SCOPE or bound != here:
        logger.warning(
            "Session token bound to %s presented on %s: refused.", bound, here or "no host"
        )
        return None
    return session


class LandlordSessionTokenStrategy(SessionTokenStrategy):
    def create_session_token(self, request: HttpRequest) -> str:
        # Bound before it is saved and handed out (the middleware binds only the cookie's).
        scope.bind_session(request)
        return super().create_session_token(request)

    def lookup_session(self, session_token: str) -> SessionBase | None:
        return session_here(current_request(), super().lookup_session(session_token))
