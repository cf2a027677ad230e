"""Which landlord a request, a session and a token belong to: the one place that says it.

- A **request** belongs to the landlord whose host it came to
  (`landlords.middleware.LandlordMiddleware` sets `request.landlord`); on a platform
  host (the Django admin) it belongs to no landlord: the scope is `PLATFORM`. Every
  host of one landlord (its tenants' portal, its "espace agence") has that landlord's
  scope.
- A **session** is bound to the scope of the request that first stores something in
  it (a sign-in, a sign-up or a password reset in progress): `SessionScopeMiddleware`
  writes the binding and, on every later request, refuses a session presented under
  another scope. A refused session is neither read nor changed: the request goes on
  with a new, empty session (signed out), and the event is logged.
- A **token** sent by email (activation link, email change link, password reset link)
  is bound to the scope of the request that issued it: `seal` signs the value with a
  key derived from the scope, and `unseal` gives it back only under that same scope.
  `token_scope` gives the scope to mix into tokens that have their own hash (the
  password reset token, `accounts.tokens`).

Views never re-derive any of this: they call these functions.
"""

import logging
from importlib import import_module

from django.conf import settings
from django.core import signing

from landlords.models import Landlord

SESSION_KEY = "_landlord_scope"
PLATFORM = "platform"
# A request that did not come through the landlord middleware (a test client's
# force_login, a management command): it belongs to no host, so nothing is bound to it.
NO_SCOPE = ""

logger = logging.getLogger(__name__)


def request_landlord(request):
    """The landlord whose host `request` came to, or None (platform host, or no request)."""
    return getattr(request, "landlord", None)


def landlord_scope(landlord) -> str:
    """The scope of every host of `landlord` (None: the platform hosts)."""
    return f"landlord:{landlord.pk}" if landlord is not None else PLATFORM


def request_scope(request) -> str:
    if request is None or not hasattr(request, "landlord"):
        return NO_SCOPE
    return landlord_scope(request.landlord)


def session_scope(session) -> str | None:
    """The scope the session is bound to, or None if it holds nothing yet."""
    return session.get(SESSION_KEY)


def session_belongs_here(request) -> bool:
    """False when the session was bound under another landlord's host (or the platform's).

    A session not bound yet belongs to the first host it is used on: every session
    stored by a request through the middleware is bound by then, so only a session
    made outside any request (the test client's force_login) is ever unbound.
    """
    bound = session_scope(request.session)
    return bound is None or bound == request_scope(request)


def bind_session(request) -> None:
    """Record the request's scope in its session, once the session holds anything."""
    scope = request_scope(request)
    session = request.session
    if scope == NO_SCOPE or session_scope(session) is not None:
        return
    # SessionBase has no __iter__: keys() it is.
    if any(key != SESSION_KEY for key in session.keys()):  # noqa: SIM118
        session[SESSION_KEY] = scope


def _signer(scope: str) -> signing.Signer:
    return signing.Signer(salt=f"landlords.scope:{scope}")


def sessions_here(request, session_keys: list[str]) -> set[str]:
    """Of these stored sessions, those that belong to the request's scope (this one included)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    here = request_scope(request)
    found = {request.session.session_key} & set(session_keys)
    for key in set(session_keys) - found:
        if store(session_key=key).load().get(SESSION_KEY) == here:
            found.add(key)
    return found


def seal(request, value: str) -> str:
    """`value` signed for the request's scope (a token that only opens on this landlord)."""
    return _signer(request_scope(request)).sign(value)


def unseal(request, token: str) -> str | None:
    """The value sealed in `token` if it was sealed under the request's scope, else None."""
    scope = request_scope(request)
    if scope == NO_SCOPE:
        return None
    try:
        return _signer(scope).unsign(token)
    except signing.BadSignature:
        return None


def sealing_landlord(request, token: str):
    """The other landlord whose host sealed `token`, to tell the person where it opens."""
    here = request_scope(request)
    for landlord in Landlord.objects.filter(is_active=True):
        scope = landlord_scope(landlord)
        if scope == here:
            continue
        try:
            _signer(scope).unsign(token)
        except signing.BadSignature:
            continue
        return landlord
    return None


def token_scope(request) -> str:
    """What a token with its own hash mixes in to belong to the request's scope."""
    return request_scope(request)


class SessionScopeMiddleware:
    """Refuses a session bound under another scope; binds a new session to this one.

    Placed after SessionMiddleware and before AuthenticationMiddleware, so that a
    refused session never signs anyone in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        if not session_belongs_here(request):
            logger.warning(
                "Session bound to %s presented on %s (%s): treated as signed out.",
                session_scope(request.session),
                request_scope(request) or "no host",
                "signed in" if request.session.get("_auth_user_id") else "not signed in",
            )
            request.session = self.session_store()
        response = self.get_response(request)
        bind_session(request)
        return response
