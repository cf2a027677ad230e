from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render

from landlords.hosts import landlord_host
from landlords.models import Landlord, LandlordHost

__all__ = ["LandlordMiddleware", "landlord_for_host", "landlord_host"]


# The landlord last served on each host by this process, for the 503 page when the database
# is down (config.views.service_unavailable): it names the landlord, nothing else is read.
_last_known: dict[str, Landlord] = {}


def last_known_landlord(request) -> Landlord | None:
    try:
        domain, _port = split_domain_port(request.get_host())
    except Exception:  # a host outside ALLOWED_HOSTS: no landlord to name
        return None
    return _last_known.get(domain.lower())


def landlord_for_host(hostname: str) -> Landlord | None:
    host = landlord_host(hostname)
    return host.landlord if host else None


class LandlordMiddleware:
    """Resolve the landlord from the request's host name.

    Platform hosts list the landlords; a landlord's tenants host serves its portal, its
    "espace agence" host its back office (another URLconf: neither serves the other's
    URLs); any other host gets a plain 404 that names no landlord.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # get_host() refuses hosts outside ALLOWED_HOSTS (Django answers 400).
        domain, _port = split_domain_port(request.get_host())
        domain = domain.lower()
        request.landlord = None
        request.is_backoffice = False
        if domain in settings.PLATFORM_HOSTS:
            request.urlconf = settings.PLATFORM_URLCONF
            return self.get_response(request)
        host = landlord_host(domain)
        if host is None:
            return render(request, "unknown_host.html", status=404)
        request.landlord = host.landlord
        _last_known[domain] = host.landlord
        if host.kind == LandlordHost.Kind.AGENCE:
            request.is_backoffice = True
            request.urlconf = settings.BACKOFFICE_URLCONF
        return self.get_response(request)
