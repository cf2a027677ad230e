"""PDFs are archivable (PDF/A) and accessible (tagged, in French, with a title)."""

import io

from pypdf import PdfReader

from tests.documents.conftest import OCTOBER, monthly, obtain, page_text, payment


def test_every_pdf_is_pdf_a_tagged_in_french_with_a_title(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    base = f"/mon-compte/compte/{account.pk}/documents"

    for url, title in [
        (f"{base}/avis/2026-10.pdf", "Avis d'échéance d'octobre 2026"),
        (f"{base}/paiement/2026-10.pdf", "Quittance de loyer d'octobre 2026"),
        (f"{base}/attestation.pdf", "Attestation de loyer à jour"),
    ]:
        reader = PdfReader(io.BytesIO(obtain(tenant_client, url)))
        catalog = reader.trailer["/Root"]
        assert catalog["/Lang"] == "fr", url
        assert catalog["/MarkInfo"]["/Marked"], url
        assert "/StructTreeRoot" in catalog, url
        assert "/OutputIntents" in catalog, url
        assert reader.metadata.title == title, url
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp, url
        assert (
            "<pdfaid:conformance>A</pdfaid:conformance>" in xmp or 'pdfaid:conformance="A"' in xmp
        )
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp or 'pdfuaid:part="1"' in xmp, url
        fonts = {
            font.get_object()["/BaseFont"]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert all("DejaVuSans" in name for name in fonts), fonts


def test_every_document_reads_as_an_html_page_with_one_heading_one(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    base = f"/mon-compte/compte/{account.pk}/documents"

    notice = tenant_client.get(f"{base}/avis/2026-10/")
    quittance = tenant_client.post(f"{base}/paiement/2026-10/", follow=True)

    for response in (notice, quittance):
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert '<html lang="fr">' in html
    assert "Montant à payer avant le 05/10/2026 470,30 €" in page_text(notice)
    assert "Total réglé par le locataire 470,30 €" in page_text(quittance)
