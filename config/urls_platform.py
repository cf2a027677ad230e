"""URLs of the platform's own host names: the list of landlords and the admin."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from landlords import views

# Staff sign in through allauth, so the second step (authenticator code) applies.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/", include("allauth.account.urls")),
    path("admin/", admin.site.urls),
]
