"""Signing in, out and recovering a password, as each guide describes it, on a phone."""

import re

import pytest

from landlords.models import Landlord
from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_signup_journeys import field, wait_for_captcha

PASSWORD = "Loyer-Payé-2026"


@pytest.fixture
def outbox_site(demo_site, settings, tmp_path):
    settings.DEMO = True
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    return demo_site


@pytest.mark.parametrize(
    ("slug", "host", "identifier", "balance"),
    [
        ("hmp", "hmp.localhost", "jean@exemple.com", "Vous devez 470,30"),
        ("hdf", "hdf.localhost", "590000000012345", "12,00\xa0€ en votre faveur"),
        ("auvergne", "auvergne.localhost", "nadege@exemple.com", "Vous devez"),
        ("aubervilliers", "aubervilliers.localhost", "jean@exemple.com", "Vous devez 610,68"),
    ],
)
def test_sign_in_and_out(outbox_site, make_tenant, phone, axe, slug, host, identifier, balance):
    make_tenant(slug, email="jean@exemple.com" if "@" not in identifier else identifier)
    phone.goto(outbox_site(host))
    phone.get_by_role("link", name="Se connecter").click()

    assert phone.locator("h1").inner_text() == "Se connecter"
    words = Landlord.objects.get(slug=slug)  # its guides' words ("J'ai oublié mon mot de passe")
    assert phone.get_by_role("link", name=words.word("login_forgotten")).is_visible()
    assert phone.get_by_role("link", name=words.word("login_signup")).is_visible()
    assert_accessible(axe, phone)
    submit_login(phone, identifier, PASSWORD)

    assert phone.locator("h1").inner_text() == "Mon compte"
    assert balance in phone.locator(".balance").first.inner_text()
    assert_accessible(axe, phone)
    phone.get_by_role("button", name="Se déconnecter").click()
    phone.goto(outbox_site(host, "/mon-compte/"))
    assert phone.locator("h1").inner_text() == "Se connecter"


def test_a_wrong_password_is_explained_next_to_the_form(outbox_site, make_tenant, phone, axe):
    make_tenant("aubervilliers", email="jean@exemple.com")
    phone.goto(outbox_site("aubervilliers.localhost", "/compte/login/"))
    submit_login(phone, "jean@exemple.com", "pas le bon")

    assert phone.locator(".error-summary").is_visible()
    assert_accessible(axe, phone)


def test_forgotten_password_by_email(outbox_site, make_tenant, phone, axe):
    host = "aubervilliers.localhost"
    make_tenant("aubervilliers", email="jean@exemple.com")
    phone.goto(outbox_site(host, "/compte/login/"))
    phone.get_by_role("link", name="Mot de passe oublié").click()
    assert_accessible(axe, phone)
    field(phone, "Adresse email").fill("jean@exemple.com")
    phone.get_by_role("button", name="Recevoir le lien").click()
    assert phone.locator("h1").inner_text() == "Vérifiez votre messagerie"
    assert_accessible(axe, phone)

    phone.goto(outbox_site(host, "/outbox/"))
    phone.locator("a[href*='/compte/password/reset/key/']").first.click()
    assert phone.locator("h1").inner_text() == "Nouveau mot de passe"
    assert_accessible(axe, phone)
    phone.locator("input[name=password1]").fill("Nouveau-loyer-2027")
    phone.locator("input[name=password2]").fill("Nouveau-loyer-2027")
    phone.get_by_role("button", name="Valider").click()
    assert phone.locator("h1").inner_text() == "Mot de passe modifié"
    assert_accessible(axe, phone)

    phone.get_by_role("link", name="Se connecter").click()
    submit_login(phone, "jean@exemple.com", "Nouveau-loyer-2027")
    assert phone.locator("h1").inner_text() == "Mon compte"


def test_forgotten_password_by_tenant_code_and_sms(outbox_site, make_tenant, phone, axe):
    host = "hdf.localhost"
    make_tenant("hdf", email="sophie@exemple.com")
    phone.goto(outbox_site(host, "/compte/login/"))
    phone.get_by_role("link", name="J'ai oublié mon mot de passe").click()
    phone.get_by_role("link", name="Continuer avec mon code locataire").click()
    assert_accessible(axe, phone)
    field(phone, "Code locataire").fill("590000000012345")
    wait_for_captcha(phone)
    phone.get_by_role("button", name="Suivant").click()

    assert "06*****61" in phone.locator(".masked-phone").inner_text()
    assert_accessible(axe, phone)
    field(phone, "Votre numéro de téléphone portable, en entier").fill("06 12 34 56 61")
    phone.get_by_role("button", name="Suivant").click()
    assert_accessible(axe, phone)
    code_page = phone.url
    phone.goto(outbox_site(host, "/outbox/"))
    code = re.search(r"\b(\d{6})\b", phone.locator("article").first.inner_text())[1]
    phone.goto(code_page)
    field(phone, "Code reçu par SMS ou par courrier").fill(code)
    phone.get_by_role("button", name="Suivant").click()

    assert phone.locator("h1").inner_text() == "Nouveau mot de passe"
    assert_accessible(axe, phone)
    field(phone, "Nouveau mot de passe").fill("Lille2027")
    field(phone, "Confirmation mot de passe").fill("Lille2027")
    phone.get_by_role("button", name="Valider").click()
    assert phone.locator("h1").inner_text() == "Mot de passe modifié"
