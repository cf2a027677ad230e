"""The Content-Security-Policy (django-csp): one strict policy, widened per response only
where a page must send its form to another site (the payment provider's page).

The policy itself is `CONTENT_SECURITY_POLICY` in config/settings.py (docs/security.md).
"""

from urllib.parse import urlsplit

from django.http import HttpResponseBase


def origin(url: str) -> str:
    """`https://host[:port]` of an absolute URL; "" for a relative one (the portal itself)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def allow_form_action(request, response: HttpResponseBase, *urls: str) -> HttpResponseBase:
    """Let this response's forms (and the redirects they lead to) go to these URLs' sites,
    on top of the portal itself ('self', which covers the portal's own URLs)."""
    own = f"{request.scheme}://{request.get_host()}"
    origins = [found for url in urls if (found := origin(url)) and found != own]
    if origins:
        update = dict(getattr(response, "_csp_update", None) or {})
        update["form-action"] = [*update.get("form-action", []), *origins]
        # django-csp's own per-response hook (what its csp_update decorator sets).
        response._csp_update = update  # type: ignore[attr-defined]
    return response
