"""The platform's URLs (the back office) with sign-in and two-step verification mounted,
for tests written before config/urls_platform.py includes them."""

from django.urls import include, path

from config.urls_platform import urlpatterns as platform

urlpatterns = [
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/", include("allauth.account.urls")),
    *platform,
]
