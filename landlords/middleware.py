from django.conf import settings
from django.http.request import split_domain_port
from django.shortcuts import render

from landlords.models import Landlord


def landlord_for_host(hostname: str) -> Landlord | None:
    return Landlord.objects.filter(hosts__hostname=hostname, is_active=True).first()


class LandlordMiddleware:
    """Resolve the landlord from the request's host name.

    Platform hosts list the landlords; a landlord's host serves its portal; any
    other host gets a plain 404 that names no landlord.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # get_host() refuses hosts outside ALLOWED_HOSTS (Django answers 400).
        domain, _port = split_domain_port(request.get_host())
        domain = domain.lower()
        request.landlord = None
        if domain in settings.PLATFORM_HOSTS:
            request.urlconf = settings.PLATFORM_URLCONF
            return self.get_response(request)
        request.landlord = landlord_for_host(domain)
        if request.landlord is None:
            return render(request, "unknown_host.html", status=404)
        return self.get_response(request)
