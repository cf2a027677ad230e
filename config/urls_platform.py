"""URLs of the platform's own host names: the list of landlords and the admin."""

from django.contrib import admin
from django.urls import include, path

from landlords import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("compte/2fa/", include("allauth.mfa.urls")),
    path("compte/", include("allauth.account.urls")),
    path("admin/", admin.site.urls),
]
