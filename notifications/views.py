from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from notifications.outbox import read_outbox


def demo_only(view):
    """Outside the demo the page does not exist: 404 to every method, before the CSRF check
    (which would answer 403 to a POST) and the method check (405)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DEMO:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@demo_only
@require_safe
def outbox(request):
    """The demo's outbox (every email and SMS the demo "sends")."""
    return render(request, "notifications/outbox.html", {"outbox_messages": read_outbox()})
