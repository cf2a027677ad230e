"""URLs of a landlord's portal (the host names a landlord owns); no back office here."""

from django.urls import include, path
from django.views.generic import RedirectView

from landlords import views
from payments.api import api as payments_api
from servicerequests.api import api as requests_api

urlpatterns = [
    path("", views.home, name="home"),
    path("cgu/", views.terms, name="terms"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo", views.logo, name="logo"),
    path("mon-compte/", include("billing.urls")),
    path("mon-compte/", include("documents.urls")),
    path("mon-compte/", include("servicerequests.urls")),
    path("mon-compte/", include("tenancies.urls")),
    path("verifier/", include("documents.verify_urls")),
    path("", include("payments.urls")),
    path("api/demandes/", requests_api.urls),
    path("api/", payments_api.urls),
    path("", include("accounts.urls")),
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/email/", RedirectView.as_view(pattern_name="profile_email")),
    path("compte/password/change/", RedirectView.as_view(pattern_name="profile_password")),
    path("compte/", include("allauth.account.urls")),
    # The view answers 404 unless DEMO is true.
    path("outbox/", include("notifications.urls")),
]
