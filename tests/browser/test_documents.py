"""Mes documents, on a phone, for a demo tenant of each landlord: notice and receipt downloaded
and read (the PDFs are parsed), the HTML version and the public verification page checked."""

import re
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_signup_journeys import field
from tests.documents.conftest import pdf_text

PASSWORD = "Loyer-Payé-2026"


@pytest.mark.parametrize(
    ("slug", "identifier", "number", "amount_due", "quittance_total"),
    [
        ("hmp", "jean@exemple.com", "000123", "470,30 €", "470,30 €"),
        ("hdf", "590000000012345", "590000000012345", "295,00 €", "295,00 €"),
        ("auvergne", "nadege@exemple.com", "0212345678901", "1 201,90 €", "643,20 €"),
        ("aubervilliers", "jean@exemple.com", "123456", "610,68 €", "220,00 €"),
    ],
)
def test_a_tenant_downloads_a_notice_and_a_receipt(
    demo_site, make_tenant, phone, axe, slug, identifier, number, amount_due, quittance_total
):
    host = f"{slug}.localhost"
    make_tenant(slug, email=identifier if "@" in identifier else "sophie@exemple.com")
    phone.goto(demo_site(host, "/compte/login/"))
    submit_login(phone, identifier, PASSWORD)
    assert phone.locator("h1").inner_text() == "Mon compte"

    phone.get_by_role("link", name="Mes documents").first.click()
    assert phone.locator("h1").inner_text() == "Mes documents"
    assert_accessible(axe, phone)

    with phone.expect_download() as notice_download:
        phone.get_by_role("link", name=re.compile(r"^PDF de l'avis d'échéance ")).first.click()
    notice = pdf_text(Path(notice_download.value.path()).read_bytes())
    assert number in notice
    assert "Montant à payer avant le" in notice and amount_due in notice
    assert re.fullmatch(
        r"avis-echeance-\d{4}-\d\d-" + number + r"\.pdf", notice_download.value.suggested_filename
    )

    # Issued by a POST (a button), then shown: its page offers the PDF.
    phone.get_by_role("button", name=re.compile(r"^Obtenir ma quittance ")).first.click()
    assert phone.locator("h1").inner_text().startswith("Quittance de loyer")
    with phone.expect_download() as receipt_download:
        phone.get_by_role("link", name="Télécharger en PDF").click()
    receipt = pdf_text(Path(receipt_download.value.path()).read_bytes())
    assert number in receipt
    assert f"Total réglé par le locataire {quittance_total}" in receipt
    reference = re.search(
        r"Référence du document : ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", receipt
    )[1]

    phone.get_by_role("link", name="Mes documents").first.click()
    phone.get_by_role("link", name=re.compile(r"^Page web de l'avis d'échéance ")).first.click()
    assert phone.locator("h1").inner_text().startswith("Avis d'échéance")
    assert amount_due in phone.locator("main").inner_text().replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    assert_accessible(axe, phone)

    phone.goto(demo_site(host, "/verifier/"))
    assert_accessible(axe, phone)
    field(phone, "Référence du document").fill(reference)
    phone.get_by_role("button", name="Vérifier").click()
    assert phone.locator("h1").inner_text() == "Document authentique"
    assert quittance_total in phone.locator("main").inner_text().replace("\u202f", " ").replace(
        "\u00a0", " "
    )
    assert_accessible(axe, phone)


def test_a_partly_paid_month_offers_a_recu_and_no_quittance(demo_site, make_tenant, phone, axe):
    """Aubervilliers' guide account paid 49,32 € of a month of 220,00 €."""
    make_tenant("aubervilliers", email="jean@exemple.com")
    phone.goto(demo_site("aubervilliers.localhost", "/compte/login/"))
    submit_login(phone, "jean@exemple.com", PASSWORD)
    phone.get_by_role("link", name="Mes documents").first.click()

    phone.get_by_role("button", name=re.compile(r"^Obtenir mon reçu ")).click()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger en PDF").click()

    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Total reçu 49,32 €" in text
    assert "Reste à payer pour ce mois 170,68 €" in text
    assert "quittance" not in text.lower()
    assert download.value.suggested_filename.startswith("recu-")
