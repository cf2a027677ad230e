"""The portal's URLs with "Mes infos" and two-step verification mounted, for tests written
before config/urls.py and accounts/urls.py include them."""

from django.urls import include, path

from config.urls import urlpatterns as portal

urlpatterns = [
    path("mon-compte/", include("accounts.profile_urls")),
    path("compte/2fa/", include("allauth.mfa.urls")),
    *portal,
]
