"""Mon compte > Mes infos in a real browser on a phone, axe-core on every page."""

import re

from accounts.models import NewsConsent
from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_signup_journeys import field

HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"
NEW_PASSWORD = "Un-nouveau-loyer-2027"


def heading(page) -> str:
    return page.locator("h1").inner_text()


def test_a_tenant_changes_the_password_and_the_consent_in_mes_infos(
    demo_site, make_tenant, phone, axe
):
    user = make_tenant("aubervilliers", email="jean@exemple.com")
    phone.goto(demo_site(HOST, "/compte/login/"))
    submit_login(phone, "jean@exemple.com", PASSWORD)
    assert heading(phone) == "Mon compte"

    phone.goto(demo_site(HOST, "/mon-compte/mes-infos/"))
    assert heading(phone) == "Mes infos"
    assert phone.locator("h1").count() == 1
    assert_accessible(axe, phone)

    # Every page reached from Mes infos is accessible.
    for link, title in [
        ("Modifier mon adresse email", "Modifier mon adresse email"),
        ("Modifier mes numéros de téléphone", "Mes numéros de téléphone"),
        ("Voir mes appareils connectés", "Mes appareils connectés"),
        ("Fermer mon accès", "Fermer mon accès"),
        ("Activer la vérification en deux étapes", "Vérification en deux étapes"),
    ]:
        phone.get_by_role("link", name=link).click()
        assert heading(phone) == title
        assert_accessible(axe, phone)
        phone.go_back()
    phone.goto(demo_site(HOST, "/compte/2fa/totp/activate/"))
    assert heading(phone) == "Confirmez votre mot de passe"
    assert_accessible(axe, phone)
    field(phone, "Mot de passe").fill(PASSWORD)
    phone.get_by_role("button", name="Confirmer").click()
    assert heading(phone) == "Activer la vérification en deux étapes"
    qr_code = phone.get_by_role("img", name="QR code à scanner avec votre application")
    assert qr_code.locator("svg path").count() == 1
    assert qr_code.bounding_box()["width"] == 200
    assert_accessible(axe, phone)
    phone.goto(demo_site(HOST, "/mon-compte/mes-infos/"))

    phone.get_by_role("link", name="Modifier mon mot de passe").click()
    assert heading(phone) == "Modifier mon mot de passe"
    assert_accessible(axe, phone)
    field(phone, "Mot de passe actuel").fill(PASSWORD)
    field(phone, "Nouveau mot de passe").fill(NEW_PASSWORD)
    assert "respecte la règle" in phone.locator(".password-status").inner_text()
    field(phone, "Confirmation").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Modifier").click()
    assert heading(phone) == "Mes infos"
    assert "Mot de passe modifié" in phone.locator(".messages").inner_text()
    assert_accessible(axe, phone)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    phone.get_by_role("button", name="Recevoir les actualités").click()
    consent = phone.locator("#actualites-etat").inner_text()
    assert re.search(r"Vous acceptez de recevoir .* \(choix fait le \d\d/\d\d/\d{4}", consent)
    assert_accessible(axe, phone)
    phone.get_by_role("button", name="Ne plus recevoir les actualités").click()
    assert "Vous ne recevez pas" in phone.locator("#actualites-etat").inner_text()
    assert [c.granted for c in NewsConsent.objects.filter(user=user).order_by("pk")] == [
        True,
        False,
    ]
