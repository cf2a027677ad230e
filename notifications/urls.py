"""The demo's outbox at /outbox/; outside the demo it answers 404 to every method."""

from django.urls import path

from notifications import views

urlpatterns = [path("", views.outbox, name="outbox")]
