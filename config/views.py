"""Views of the project itself on every host: the error pages and the CSP report endpoint.

Error pages are French, branded with the landlord's name and colours where the host is a
landlord's (the templates extend base.html, which reads `landlord` from the request), and
say nothing about the request (no path, no trace).
"""

import json
import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import outage, throttle
from core.http import small_body, too_large
from landlords.middleware import last_known_landlord

logger = logging.getLogger("espace.csp")


def bad_request(request, exception=None):
    # A form field over DATA_UPLOAD_MAX_MEMORY_SIZE: the request is too large, not wrong.
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form expired or came from elsewhere (the reason is not shown)."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # The database or the cache is down: not a bug of ours, a French 503 (Retry-After).
    part = outage.part_of(sys.exc_info()[1])
    if part is not None:
        outage.note(part, OUTAGE_LOG_LINES[part], type(sys.exc_info()[1]).__name__)
        return service_unavailable(request)
    # Branded when it can be; if rendering itself fails, the plain page without context.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The branded 500 page failed to render")
        return HttpResponse(loader.get_template("500_plain.html").render(), status=500)


OUTAGE_LOG_LINES = {
    "database": "Database unreachable (%s): pages answer 503 until it is back",
    "cache": "Cache unreachable (%s): pages that need it answer 503 until it is back",
}
RETRY_AFTER_SECONDS = 120


def service_unavailable(request):
    """The French 503 page, rendered without touching the database or the cache: no context
    processor (they would load the session and the user), only the landlord already known
    from the host, or remembered from an earlier request to it."""
    landlord = getattr(request, "landlord", None) or last_known_landlord(request)
    html: str
    try:
        html = loader.render_to_string("503.html", {"landlord": landlord, "request": request})
    except Exception:
        logger.exception("The branded 503 page failed to render")
        html = loader.get_template("503_plain.html").render()
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


# --- CSP violation reports ---------------------------------------------------------------

CSP_REPORT_SCOPE = "csp-report"
# Past these reports from one address, the rest are dropped unlogged until the delay ends.
FREE_CSP_REPORTS = 20
REPORT_FIELDS = (
    "document-uri",
    "documentURL",
    "violated-directive",
    "effective-directive",
    "effectiveDirective",
    "blocked-uri",
    "blockedURL",
    "source-file",
    "sourceFile",
    "line-number",
    "lineNumber",
)
FIELD_MAX_CHARS = 200


def _reports(body: bytes) -> list[dict]:
    """The reports in either format: report-uri's {"csp-report": {...}} or the Reporting
    API's [{"type": "csp-violation", "body": {...}}]."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [
            item["body"]
            for item in data[:10]
            if isinstance(item, dict) and isinstance(item.get("body"), dict)
        ]
    return []


def _summary(report: dict) -> dict:
    return {name: str(report[name])[:FIELD_MAX_CHARS] for name in REPORT_FIELDS if name in report}


@csrf_exempt
@small_body
@require_POST
def csp_report(request):
    """Logs the browser's CSP violation reports: one bounded line each, throttled per address."""
    address = [throttle.client_ip(request)]
    if not throttle.seconds_to_wait(CSP_REPORT_SCOPE, address):
        throttle.record_failure(CSP_REPORT_SCOPE, address, free_attempts=FREE_CSP_REPORTS)
        for report in _reports(request.body):
            logger.warning("CSP violation: %s", json.dumps(_summary(report), ensure_ascii=True))
    return HttpResponse(status=204)
