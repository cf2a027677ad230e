"""URLs of the platform's own host names: the list of landlords and the admin."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import tokens
from config import views as project_views
from landlords import views

# Staff sign in through allauth, so the second step (authenticator code) applies.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("csp-rapport/", project_views.csp_report, name="csp_report"),
    path("", views.landing, name="landing"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("compte/2fa/", include("allauth.mfa.urls")),
    # Before allauth's own: links sealed for this host's landlord (accounts.tokens).
    path("compte/confirm-email/<str:key>/", tokens.confirm_email, name="account_confirm_email"),
    path("compte/", include("allauth.account.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
