"""`/sante/`: whether this web process can serve, for the load balancer.

Answered before anything else (first middleware): on every host name, the machine's own
address included, without the landlord lookup, the session or the HTTPS redirect, and
with no personal data. 200 "ok" when the database answers a `SELECT 1`, else 503: the
load balancer then sends requests to another process. The cache is not checked: without
Redis the portal still serves (core/fallback_cache.py).
"""

from django.db import connection
from django.http import HttpResponse

from core import outage

HEALTH_PATH = "/sante/"


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except outage.DATABASE_ERRORS:
        # Next time, a new connection rather than the broken one.
        connection.close_if_unusable_or_obsolete()
        return False
    return True


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        healthy = database_answers()
        response = HttpResponse(
            "ok\n" if healthy else "indisponible\n",
            content_type="text/plain; charset=utf-8",
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        return response
