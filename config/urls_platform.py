"""URLs of the platform's own host names: the list of landlords and the admin."""

from django.contrib import admin
from django.urls import path

from landlords import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]
