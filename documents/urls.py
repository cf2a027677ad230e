"""Mes documents, under /mon-compte/ (names are stable: other pages link to them)."""

import datetime

from django.urls import path, register_converter

from documents import views


class MonthConverter:
    """ "2026-11" ↔ datetime.date(2026, 11, 1)."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date(int(value[:4]), int(value[5:]), 1)

    def to_url(self, value: datetime.date) -> str:
        return f"{value:%Y-%m}"


register_converter(MonthConverter, "month")

urlpatterns = [
    path("compte/<int:account_id>/documents/", views.documents, name="documents"),
    path(
        "compte/<int:account_id>/documents/avis/<month:period>/",
        views.notice_page,
        name="notice_page",
    ),
    path(
        "compte/<int:account_id>/documents/avis/<month:period>.pdf",
        views.notice_pdf,
        name="notice_pdf",
    ),
    path(
        "compte/<int:account_id>/documents/avis/<month:period>/version-<int:version>/",
        views.notice_page,
        name="notice_version_page",
    ),
    path(
        "compte/<int:account_id>/documents/avis/<month:period>/version-<int:version>.pdf",
        views.notice_pdf,
        name="notice_version_pdf",
    ),
    path(
        "compte/<int:account_id>/documents/paiement/<month:period>/",
        views.receipt,
        name="receipt",
    ),
    path(
        "compte/<int:account_id>/documents/paiement/<month:period>.pdf",
        views.receipt_pdf,
        name="receipt_pdf",
    ),
    path("compte/<int:account_id>/documents/attestation/", views.certificate, name="certificate"),
    path(
        "compte/<int:account_id>/documents/attestation.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "compte/<int:account_id>/documents/emis/<int:document_id>/",
        views.issued_page,
        name="issued_page",
    ),
    path(
        "compte/<int:account_id>/documents/emis/<int:document_id>.pdf",
        views.issued_pdf,
        name="issued_pdf",
    ),
]
