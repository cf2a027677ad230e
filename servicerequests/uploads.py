"""A per-view bound on the request body, checked before anything reads it.

CsrfViewMiddleware reads request.POST (and so the whole multipart body, spooled to
disk) before any view runs. A view wrapped by `body_limit` is exempted from the
middleware's check and protected again inside, after the length was checked: the
pattern Django documents for views that change their upload handling.
"""

from functools import wraps

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

TOO_LARGE_MESSAGE = (
    "Votre envoi dépasse {megabytes} Mo au total : rien n'a été enregistré. "
    "Envoyez moins de fichiers ou des photos plus légères."
)


def body_limit(max_bytes: int):
    """Answer 413 with a French page when the declared body exceeds max_bytes (the WSGI
    server never hands a view more than the declared length)."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = max_bytes + 1
            if length > max_bytes:
                message = TOO_LARGE_MESSAGE.format(megabytes=max_bytes // (1024 * 1024))
                return render(
                    request, "servicerequests/too_large.html", {"message": message}, status=413
                )
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator
