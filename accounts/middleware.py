import time

from django.conf import settings
from django.contrib.auth import logout

SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a signed-in session SESSION_MAX_AGE_SECONDS after sign-in, active or not.

    Inactivity is handled by SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - signed_in_at > settings.SESSION_MAX_AGE_SECONDS:
                logout(request)
        return self.get_response(request)
