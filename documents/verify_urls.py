"""Public verification of receipts and certificates, under /verifier/ (no sign-in)."""

from django.urls import path

from documents import views

urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:reference>/", views.verify_document, name="verify_document"),
]
