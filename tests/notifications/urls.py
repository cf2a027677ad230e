"""A landlord's URLs with the outbox, whatever DEMO was when config.urls was imported."""

from django.urls import include, path

from config.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("outbox/", include("notifications.urls"))]
