"""Request bodies bounded before they are read.

An endpoint that is not a form a person fills in (the payment providers' notifications,
the API, the CSP reports) never needs more than a few kilobytes: a body above
`SMALL_BODY_LIMIT` is refused with 413 from its `Content-Length`, or, without one
(`Transfer-Encoding: chunked`), after reading at most one byte more than the limit, and
before anything parses it. The reverse proxy's own limit (`client_max_body_size`) should
match (README, "Deploying").
"""

import io
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SMALL_BODY_LIMIT = 64 * 1024
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def body_exceeds(request: HttpRequest, limit: int = SMALL_BODY_LIMIT) -> bool:
    """Whether the body is over `limit` bytes, reading at most `limit + 1` of them."""
    length = request.META.get("CONTENT_LENGTH")
    if length:
        try:
            return int(length) > limit
        except ValueError:
            return True
    if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return False
    # No length: read it, bounded, and keep what was read as the body Django parses.
    data = request.META["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        return True
    request._body = data
    request._stream = io.BytesIO(data)
    return False


def too_large(request: HttpRequest) -> HttpResponse:
    """The French 413 page (templates/413.html), branded like every error page."""
    return render(request, "413.html", status=413)


def small_body(view: Callable) -> Callable:
    """Mark a view whose body, even form-encoded, is bounded (a machine's message)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.small_body = True  # type: ignore[attr-defined]
    return wrapped


class SmallBodyMiddleware:
    """413 for an oversized body sent to a view marked `small_body`, or sent with any
    content type other than a form's (the API, the CSP reports), before the view or the
    CSRF check parses it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        is_form = request.content_type in FORM_CONTENT_TYPES
        if (getattr(view_func, "small_body", False) or not is_form) and body_exceeds(request):
            return too_large(request)
        return None
