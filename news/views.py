"""Actualités on the tenants' host: the list after signing in, and the one-click unsubscribe."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from news import services


@never_cache
@require_safe
@login_required
def news_list(request):
    items = list(services.for_tenant(request.user, request.landlord))
    marked = services.with_read_marks(request.user, items)
    # Marked as new this time, read from now on.
    services.mark_read(request.user, [row["item"] for row in marked if row["new"]])
    return render(request, "news/list.html", {"news": marked})


# A mail client posts "List-Unsubscribe=One-Click" without any cookie or CSRF token
# (RFC 8058): the signed token is the proof.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user = services.user_from_token(token, request.landlord)
    if user is None:
        raise Http404
    if request.method == "POST":
        services.unsubscribe(user, request.landlord, request=request)
        return render(request, "news/unsubscribed.html")
    return render(request, "news/unsubscribe.html", {"email": user.email})
