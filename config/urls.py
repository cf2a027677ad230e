"""URLs of a landlord's portal (the host names a landlord owns)."""

from django.contrib import admin
from django.urls import path

from landlords import views

urlpatterns = [
    path("", views.home, name="home"),
    path("cgu/", views.terms, name="terms"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("theme.css", views.theme_css, name="theme_css"),
    path("logo", views.logo, name="logo"),
    path("admin/", admin.site.urls),
]
