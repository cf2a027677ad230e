import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core import outage
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
        logo_file = request.landlord.logo.open("rb")
    except outage.STORAGE_ERRORS:
        # The storage is down (docs/operations.md): pages show without the logo meanwhile.
        return HttpResponse(status=503, headers={"Retry-After": "300"})
    response = FileResponse(logo_file, content_type=content_type)
    # An SVG opened directly must not run scripts in the portal's origin.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
