"""Downloads: a safe name, never in shared caches, rendered once then served from storage."""

from unittest import mock

from django.core.files.storage import default_storage

from documents import rendering
from documents.models import RentNotice
from tests.documents.conftest import NOVEMBER, OCTOBER, drain, monthly, obtain, payment


def test_a_notice_download_has_an_attachment_name_and_is_never_cached(account, tenant_client):
    monthly(account, NOVEMBER)

    response = drain(
        tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")
    )

    assert (
        response["Content-Disposition"] == 'attachment; filename="avis-echeance-2026-11-000123.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"


def test_receipt_and_certificate_names(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    base = f"/mon-compte/compte/{account.pk}/documents"

    tenant_client.post(f"{base}/paiement/2026-10/")
    tenant_client.post(f"{base}/attestation/")
    quittance = tenant_client.get(f"{base}/paiement/2026-10.pdf")
    certificate = tenant_client.get(f"{base}/attestation.pdf")
    drain(quittance)
    drain(certificate)

    assert quittance["Content-Disposition"] == 'attachment; filename="quittance-2026-10-000123.pdf"'
    assert certificate["Content-Disposition"] == (
        'attachment; filename="attestation-loyer-a-jour-2026-11-20-000123.pdf"'
    )
    assert certificate["Cache-Control"] == "private, no-store"


def test_the_list_and_document_pages_are_not_cached_either(account, tenant_client):
    monthly(account, NOVEMBER)

    for url in ("", "avis/2026-11/"):
        response = tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/{url}")
        assert response["Cache-Control"] == "private, no-store"


def test_a_notice_is_rendered_once_then_served_from_storage(account, tenant_client):
    monthly(account, NOVEMBER)
    url = f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf"
    first = obtain(tenant_client, url)
    notice = RentNotice.objects.get(account=account, period=NOVEMBER)
    assert default_storage.exists(notice.pdf.name)

    with mock.patch.object(rendering.Renderer, "render_pdf") as render:
        second = obtain(tenant_client, url)

    render.assert_not_called()
    assert second == first


def test_the_stored_notice_stays_what_was_issued_when_the_ledger_changes(account, tenant_client):
    monthly(account, NOVEMBER)
    url = f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf"
    first = obtain(tenant_client, url)

    monthly(account, NOVEMBER, rent=50000)

    assert obtain(tenant_client, url) == first
