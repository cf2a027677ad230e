import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "signed_in_at"


def past_max_age(session) -> bool:
    """Whether a signed-in session is older than SESSION_MAX_AGE_SECONDS (the first call
    notes the time of sign-in). The same rule for cookies and the apps' session tokens."""
    signed_in_at = session.setdefault(SIGNED_IN_AT, time.time())
    return time.time() - signed_in_at > settings.SESSION_MAX_AGE_SECONDS


class SessionLifetimeMiddleware:
    """Ends a signed-in session SESSION_MAX_AGE_SECONDS after sign-in, active or not.

    Inactivity is handled by SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and past_max_age(request.session):
            logout(request)
        return self.get_response(request)
