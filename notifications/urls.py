"""The demo's outbox; config/urls.py includes it under /outbox/ only when DEMO is true."""

from django.urls import path

from notifications import views

urlpatterns = [path("", views.outbox, name="outbox")]
