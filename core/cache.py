"""Personal pages are never cached: one policy for every response.

`Cache-Control: private, no-store` goes on every response to a signed-in person, on every
document (PDF, ZIP, CSV) and on every view marked `private_page` (the public verification
of a receipt shows a name). Responses that say they are public on purpose (the brand's
stylesheet and logo, the same for everyone on a host) keep their own header.
"""

from collections.abc import Callable
from functools import wraps

PRIVATE_NO_STORE = "private, no-store"
DOCUMENT_TYPES = ("application/pdf", "application/zip", "text/csv")


def private_page(view: Callable) -> Callable:
    """Mark a view whose responses are personal even to a visitor who is not signed in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.private_page = True
        return response

    return wrapped


def _is_document(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in DOCUMENT_TYPES


class PrivateResponsesMiddleware:
    """Sets the one cache policy above, after the view (placed after authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if not (signed_in or _is_document(response) or getattr(response, "private_page", False)):
            return response
        if "public" in response.get("Cache-Control", ""):
            return response
        response["Cache-Control"] = PRIVATE_NO_STORE
        # One header says it: an Expires set elsewhere is dropped.
        if "Expires" in response:
            del response["Expires"]
        return response
