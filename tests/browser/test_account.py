"""Mon compte and the history, on a phone, for a demo tenant of each landlord."""

import csv
import io

import pytest

from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_pages import fits_the_screen

PASSWORD = "Loyer-Payé-2026"


def sign_in(page, url, identifier):
    page.goto(url)
    submit_login(page, identifier, PASSWORD)


@pytest.mark.parametrize(
    ("slug", "host", "identifier", "balance", "history_line"),
    [
        ("hmp", "hmp.localhost", "jean@exemple.com", "Vous devez 470,30", "Provision pour charges"),
        (
            "hdf",
            "hdf.localhost",
            "590000000012345",
            "Vous avez 12,00\xa0€ en votre faveur",
            "Aide personnalisée au logement (APL)",
        ),
        (
            "auvergne",
            "auvergne.localhost",
            "jean@exemple.com",
            "Vous devez 1\u202f201,90",
            "Provision chauffage",
        ),
        (
            "aubervilliers",
            "aubervilliers.localhost",
            "jean@exemple.com",
            "Vous devez 610,68",
            "Prov. Divers Appareils Chauffage",
        ),
    ],
)
def test_a_tenant_sees_the_balance_and_opens_the_history(
    demo_site, make_tenant, phone, axe, slug, host, identifier, balance, history_line
):
    make_tenant(slug, email="jean@exemple.com")
    sign_in(phone, demo_site(host, "/compte/login/"), identifier)

    assert phone.locator("h1").inner_text() == "Mon compte"
    assert balance in phone.locator(".balance").inner_text()
    assert phone.get_by_text("Prochaine échéance").is_visible()
    assert fits_the_screen(phone)
    assert_accessible(axe, phone)

    phone.get_by_role("link", name="Situation de votre compte").click()
    assert phone.locator("h1").inner_text() == "Situation de votre compte"
    assert balance in phone.locator(".balance").inner_text()
    latest_month = phone.locator("section.month").first
    latest_month.locator("summary").click()
    assert latest_month.get_by_text(history_line).first.is_visible()
    assert_accessible(axe, phone)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger l'historique (CSV, tableur)").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["Date", "Libellé"]
    assert any(row[1] == history_line for row in rows)
