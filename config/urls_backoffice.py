"""URLs of a landlord's espace agence host: the back office, where its staff work.

No tenant page is served here, and no back-office page on the tenants' hosts.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from landlords import views as landlord_views

urlpatterns = [
    path("", include("backoffice.urls")),
    path("theme.css", landlord_views.theme_css, name="theme_css"),
    path("logo", landlord_views.logo, name="logo"),
    path("accessibilite/", landlord_views.accessibility, name="accessibility"),
    # LOGIN_REDIRECT_URL names "dashboard": here, the back office's.
    path("accueil/", RedirectView.as_view(pattern_name="backoffice:dashboard"), name="dashboard"),
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/", include("allauth.account.urls")),
]
