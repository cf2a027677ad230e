"""URLs of a landlord's portal (the host names a landlord owns); no back office here."""

from django.urls import include, path
from django.views.generic import RedirectView

from accounts import tokens
from accounts import views as account_views
from api import headless
from api.api import urls as app_api_urls
from config import views as project_views
from landlords import views
from payments.api import api as payments_api
from servicerequests.api import api as requests_api

urlpatterns = [
    path("csp-rapport/", project_views.csp_report, name="csp_report"),
    path("", views.home, name="home"),
    path("cgu/", views.terms, name="terms"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo", views.logo, name="logo"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("app/icone-<int:size>.png", views.app_icon, name="app_icon"),
    path(
        "app/icone-<int:size>-maskable.png",
        views.app_icon,
        {"maskable": True},
        name="app_icon_maskable",
    ),
    path("sw.js", views.service_worker, name="service_worker"),
    path("hors-connexion/", views.offline, name="offline"),
    path("mon-compte/", include("billing.urls")),
    path("mon-compte/", include("documents.urls")),
    path("mon-compte/", include("servicerequests.urls")),
    path("mon-compte/", include("tenancies.urls")),
    path("verifier/", include("documents.verify_urls")),
    path("actualites/", include("news.urls")),
    path("", include("payments.urls")),
    path("api/demandes/", requests_api.urls),
    # The store apps' API (docs/api.md), then allauth's headless sign-in for them, the
    # portal's rules first (api/headless.py).
    path("api/app/", app_api_urls),
    path("_allauth/app/v1/", include(headless.urlpatterns)),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/", payments_api.urls),
    path("", include("accounts.urls")),
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/email/", RedirectView.as_view(pattern_name="profile_email")),
    path("compte/password/change/", RedirectView.as_view(pattern_name="profile_password")),
    # Before allauth's own: links sealed for this host's landlord (accounts.tokens).
    path("compte/confirm-email/<str:key>/", tokens.confirm_email, name="account_confirm_email"),
    # Before allauth's own: which address the link went to, and "Renvoyer le lien".
    path(
        "compte/confirm-email/",
        account_views.verification_sent,
        name="account_email_verification_sent",
    ),
    # A sign-in's writes (the session, the last login, "Vos appareils connectés", the audit
    # row) in one transaction: one commit, one wait for the disk, instead of five.
    path("compte/login/", account_views.sign_in, name="account_login"),
    path("compte/", include("allauth.account.urls")),
    # The view answers 404 to every method unless DEMO is true.
    path("outbox/", include("notifications.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
