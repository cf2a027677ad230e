"""Session lifetimes without a write on every request.

Django saves a session only when something in it changed. The idle lifetime (the
server-side expiry, SESSION_COOKIE_AGE or a shorter `set_expiry` for staff) is pushed
ahead by touching the session at most every `refresh_interval` seconds, and allauth's
record of the session (Mes infos, "Vos appareils connectés") is updated at the same
moment, or when the browser's address or user agent changed, at most once every
MOVED_RECORD_SECONDS: a phone whose carrier gives each connection another public address
(a carrier-grade NAT) would otherwise write twice on every request. A request in between
writes nothing: a session ends between `idle - refresh_interval` and `idle` seconds
after its last request, never later.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "signed_in_at"
# When the session's expiry was last pushed ahead (seconds since the epoch, an int).
REFRESHED_AT = "_refreshed_at"
# A short digest of the client's address and user agent when it was last recorded, and when.
CLIENT = "_client"
RECORDED_AT = "_recorded_at"
# A session seen from another address or browser is recorded again after this long at most.
MOVED_RECORD_SECONDS = 60


def refresh_interval(idle_seconds: int) -> int:
    """How long a session may go without having its expiry pushed: SESSION_REFRESH_SECONDS,
    and never more than a sixth of the idle lifetime."""
    return max(1, min(settings.SESSION_REFRESH_SECONDS, idle_seconds // 6))


def client_digest(request) -> str:
    from allauth.account.adapter import get_adapter

    seen = f"{get_adapter().get_client_ip(request)}\n{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.blake2b(seen.encode(), digest_size=6).hexdigest()


def past_max_age(session) -> bool:
    """Whether a signed-in session is older than SESSION_MAX_AGE_SECONDS (the first call
    notes the time of sign-in). The same rule for cookies and the apps' session tokens."""
    signed_in_at = session.setdefault(SIGNED_IN_AT, time.time())
    return time.time() - signed_in_at > settings.SESSION_MAX_AGE_SECONDS


class SessionLifetimeMiddleware:
    """Ends a signed-in session SESSION_MAX_AGE_SECONDS after sign-in, active or not, and
    keeps an active session alive (its idle expiry) with a write every few minutes at most."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and past_max_age(request.session):
            logout(request)
        response = self.get_response(request)
        self._refresh(request)
        return response

    def _refresh(self, request) -> None:
        session = getattr(request, "session", None)
        # No session cookie, a session just emptied (sign-out) or one the response is about
        # to write anyway: SessionMiddleware saves it with a fresh expiry.
        if session is None or session.session_key is None or not session.keys():
            return
        now = int(time.time())
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        client = client_digest(request) if signed_in else None
        interval = refresh_interval(session.get_expiry_age())
        due = now - session.get(REFRESHED_AT, 0) >= interval
        moved = (
            signed_in
            and now - session.get(RECORDED_AT, 0) >= MOVED_RECORD_SECONDS
            and session.get(CLIENT) != client
        )
        if client is not None and (due or moved):  # signed in
            record_user_session(request)
            mark_recorded(session, client, now)
        elif due or session.modified:
            # A session written anyway gets its fresh expiry from that write.
            session[REFRESHED_AT] = now


def mark_recorded(session, client: str, now: int) -> None:
    """allauth's row of the session was just written (here or at sign-in): the client it
    names, when, and the session's expiry pushed ahead by the write this makes."""
    session[CLIENT] = client
    session[REFRESHED_AT] = session[RECORDED_AT] = now


def record_user_session(request) -> None:
    """allauth's row for this session: its address, user agent and last activity."""
    from allauth.usersessions.models import UserSession

    UserSession.objects.create_from_request(request)
