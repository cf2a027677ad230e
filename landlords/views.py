import hashlib
import mimetypes

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import outage
from landlords import app
from landlords.models import Landlord


@require_safe
def landing(request):
    """The platform's own page: the landlords served by this deployment."""
    landlords = [
        (landlord, landlord.site_url(request))
        for landlord in Landlord.objects.filter(is_active=True).prefetch_related("hosts")
        if landlord.primary_host
    ]
    return render(request, "landlords/landing.html", {"landlords": landlords})


@require_safe
def home(request):
    agencies = request.landlord.agencies.all()
    return render(request, "landlords/home.html", {"agencies": agencies})


@require_safe
def terms(request):
    return render(request, "landlords/terms.html")


@require_safe
def accessibility(request):
    return render(request, "landlords/accessibility.html")


@require_safe
@cache_control(max_age=300, public=True)
def theme_css(request):
    css = f":root {{ --brand: {request.landlord.brand_color}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_safe
@cache_control(max_age=300, public=True)
def logo(request):
    if not request.landlord.logo:
        raise Http404
    content_type, _ = mimetypes.guess_type(request.landlord.logo.name)
    try:
        # Read whole (a logo is small): a streamed file left open by a response the
        # server drops (a 304, a client gone) would stay open until collected.
        with request.landlord.logo.open("rb") as logo_file:
            content = logo_file.read()
    except outage.STORAGE_ERRORS:
        # The storage is down (docs/operations.md): pages show without the logo meanwhile.
        return HttpResponse(status=503, headers={"Retry-After": "300"})
    response = HttpResponse(content, content_type=content_type)
    # An SVG opened directly must not run scripts in the portal's origin.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


# --- The installable application (landlords/app.py, docs/app.md) -------------------------


@require_safe
@cache_control(max_age=3600, public=True)
def web_manifest(request):
    response = JsonResponse(
        app.manifest(request.landlord), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@cache_control(max_age=7 * 24 * 3600, public=True)
def app_icon(request, size: int, maskable: bool = False):
    if size not in app.ICON_SIZES:
        raise Http404
    png = app.icon_png(request.landlord, size, maskable=maskable)
    return HttpResponse(png, content_type="image/png")


@require_safe
def service_worker(request):
    """The service worker, at the root so that its scope is the whole host."""
    response = render(
        request,
        "landlords/sw.js",
        {"offline_url": reverse("offline"), "cache_version": _shell_version(request.landlord)},
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker at least daily; no cache makes that immediate.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def _shell_version(landlord) -> str:
    """Changes with the static files' names (hashed in production) and the brand."""
    made_of = "|".join(
        [
            static("css/site.css"),
            static("js/app.js"),
            landlord.brand_color,
            app.icon_version(landlord),
        ]
    )
    return hashlib.sha256(made_of.encode()).hexdigest()[:12]


@require_safe
@cache_control(max_age=3600, public=True)
def offline(request):
    """What the service worker shows when the network is gone: the same for everyone."""
    return render(request, "landlords/offline.html")
