from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from notifications.outbox import read_outbox


@require_safe
def outbox(request):
    """The demo's outbox. Its URL exists only in the demo; this check guards a wrong URLconf."""
    if not settings.DEMO:
        raise Http404
    return render(request, "notifications/outbox.html", {"outbox_messages": read_outbox()})
