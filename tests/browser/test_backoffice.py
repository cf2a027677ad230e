"""The espace agence in a real browser at desktop width: an HDF agent unblocks Sophie LEROY."""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from staff.roles import Role
from tenancies.models import TenantAccount
from tests.backoffice.conftest import PASSWORD, create_staff, totp_code
from tests.browser.conftest import assert_accessible, words_of
from tests.browser.test_signup_journeys import (
    field,
    fill_credentials,
    see_the_account_at_once_then_confirm_the_email,
    start_from_home,
    wait_for_captcha,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HOST = "hdf.localhost"
AGENCE = "agence.hdf.localhost"


@pytest.fixture
def desk(browser):
    """A page the size of an office screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def site(demo_site, settings, tmp_path):
    settings.DEMO = True
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    return demo_site


@pytest.fixture
def agent(site):
    return create_staff("hdf", Role.AGENT, agencies=["LILLE"])


@pytest.fixture
def make_admin_and_history(site, make_tenant):
    """An HDF administrator; Sophie has a login, said she does not know the number on a
    second account, and the journal has a few rows."""
    import audit

    admin = create_staff("hdf", Role.ADMINISTRATOR, email="administrateur.hdf@exemple.fr")
    admin.first_name, admin.last_name = "Alex", "ADMIN"
    admin.save()
    create_staff("hdf", Role.AGENT, agencies=["LILLE"], email="agent.hdf@exemple.fr")
    account = TenantAccount.objects.get(number="590000000012345")
    make_tenant("hdf", email="sophie.leroy@exemple.com")
    TenantAccount.objects.filter(pk=account.pk).update(
        phone_unknown_reported_at=datetime.datetime.now(datetime.UTC)
    )
    audit.record(
        "tenant.mobile_corrected",
        account=account,
        actor=admin,
        actor_kind="staff",
        reason="Appel de la locataire : nouveau numéro",
    )
    return admin, account


def sign_in(page, site, user, axe):
    page.goto(site(AGENCE))
    assert page.locator("h1").inner_text() == "Connexion à l'espace agence"
    assert_accessible(axe, page)
    field(page, "Identifiant").fill(user.email)
    field(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert_accessible(axe, page)
    page.locator("input[name=code]").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name=re.compile("Valider|Vérifier|Se connecter|Continuer")).click()
    assert page.locator("h1").inner_text() == "Tableau de bord"
    assert_accessible(axe, page)


def sophie_says_she_does_not_know_the_number(phone, site, axe):
    start_from_home(phone, site, HOST, axe)
    field(phone, "Code locataire").fill("590000000012345")
    wait_for_captcha(phone)
    phone.get_by_role("button", name="Suivant").click()
    assert "06*****61" in phone.locator(".masked-phone").inner_text()
    phone.get_by_role("link", name="Je ne connais pas ce numéro").click()
    assert phone.locator("h1").inner_text() == "Contacter votre agence"
    assert_accessible(axe, phone)


def finish_sign_up(phone, site, axe, email):
    assert phone.locator("h1").inner_text() == "Inscription étape 4 / 4"
    fill_credentials(phone, HOST, email, axe)
    field(phone, "J'accepte les conditions générales d'utilisation").check()
    wait_for_captcha(phone)
    phone.get_by_role("button", name=words_of(phone)("signup_finish")).click()
    see_the_account_at_once_then_confirm_the_email(
        phone, site, HOST, axe, "12,00\xa0€ en votre faveur"
    )


def test_an_agent_corrects_sophies_mobile_and_she_signs_up_with_it(site, agent, desk, phone, axe):
    sophie_says_she_does_not_know_the_number(phone, site, axe)

    sign_in(desk, site, agent, axe)
    desk.get_by_role("link", name="Locataires à débloquer").click()
    assert desk.locator("h1").inner_text() == "À débloquer"
    assert "Je ne connais pas ce numéro" in desk.locator("main").inner_text()
    assert_accessible(axe, desk)
    desk.get_by_role("link", name="Rechercher un locataire").click()
    field(desk, "Numéro de compte, nom, email ou téléphone").fill("leroy sophie")
    desk.get_by_role("button", name="Rechercher").click()
    assert_accessible(axe, desk)
    desk.get_by_role("link", name="590000000012345").click()
    assert desk.locator("h1").inner_text() == "Fiche locataire 590000000012345"
    assert_accessible(axe, desk)
    action = desk.locator("li.bo-action", has_text="Corriger le mobile de LEROY Sophie")
    action.get_by_role("button", name="Corriger le mobile").click()
    assert "Indiquez le motif de cette action." in desk.locator(".error-summary").inner_text()
    assert_accessible(axe, desk)
    action = desk.locator("li.bo-action", has_text="Corriger le mobile de LEROY Sophie")
    action.get_by_label(re.compile("^Nouveau téléphone mobile")).fill("07 88 77 66 55")
    action.get_by_label(re.compile("^Motif")).fill("Appel de la locataire : nouveau numéro")
    action.get_by_role("button", name="Corriger le mobile").click()
    assert "Le mobile de LEROY Sophie est corrigé." in desk.locator(".messages").inner_text()
    assert "mobile corrigé" in desk.locator("#journal-compte + ul").inner_text().lower()
    assert_accessible(axe, desk)

    start_from_home(phone, site, HOST, axe)
    field(phone, "Code locataire").fill("590000000012345")
    wait_for_captcha(phone)
    phone.get_by_role("button", name="Suivant").click()
    assert "07*****55" in phone.locator(".masked-phone").inner_text()
    field(phone, "Votre numéro de téléphone portable, en entier").fill("07 88 77 66 55")
    phone.get_by_role("button", name="Suivant").click()
    code_page = phone.url
    phone.goto(site(HOST, "/outbox/"))
    sms = phone.locator("article").first.inner_text()
    assert "SMS au 07 •• •• •• 55" in sms
    code = re.search(r"\b(\d{6})\b", sms)[1]
    phone.goto(code_page)
    field(phone, "Code reçu par SMS ou par courrier").fill(code)
    phone.get_by_role("button", name="Suivant").click()
    finish_sign_up(phone, site, axe, "sophie@exemple.com")


def test_an_agent_prints_a_letter_and_the_tenant_signs_up_with_its_code(
    site, agent, desk, phone, axe
):
    sophie_says_she_does_not_know_the_number(phone, site, axe)
    account = TenantAccount.objects.get(number="590000000012345")

    sign_in(desk, site, agent, axe)
    desk.goto(site(AGENCE, f"/locataires/{account.pk}/"))
    action = desk.locator("li.bo-action", has_text="Imprimer un courrier d'activation")
    action.get_by_label(re.compile("^Motif")).fill("Ne connaît pas le numéro")
    with desk.expect_download() as download:
        action.get_by_role("button", name="Imprimer le courrier (PDF)").click()
    letter = PdfReader(io.BytesIO(download.value.path().read_bytes())).pages[0].extract_text()
    # The code is printed letter-spaced: the extracted text may space its characters.
    spaced = re.search(r"\b([A-Z2-9](?: ?[A-Z2-9]){4} ?- ?[A-Z2-9](?: ?[A-Z2-9]){4})\b", letter)
    code = spaced[1].replace(" ", "")
    desk.reload()
    assert "Courrier d'activation imprimé" in desk.locator("#journal-compte + ul").inner_text()

    phone.get_by_role("link", name="J'ai reçu mon courrier d'activation").click()
    assert_accessible(axe, phone)
    field(phone, "Code reçu par SMS ou par courrier").fill(code)
    phone.get_by_role("button", name="Suivant").click()
    finish_sign_up(phone, site, axe, "sophie.leroy@exemple.com")


def screenshot(page, name):
    """SCREENSHOTS=1 saves the README's pictures of the espace agence."""
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=False)


def test_every_back_office_page_is_accessible(site, desk, axe, make_admin_and_history):
    admin, account = make_admin_and_history
    sign_in(desk, site, admin, axe)
    screenshot(desk, "agence-dashboard")
    pages = [
        ("/locataires/?q=590000000012345", "Rechercher un locataire"),
        (f"/locataires/{account.pk}/", "Fiche locataire 590000000012345"),
        (f"/locataires/{account.pk}/voir-comme/", "Mon compte (vu par le locataire)"),
        ("/a-debloquer/", "À débloquer"),
        ("/journal/", "Journal"),
        ("/journal/?action=tenant.mobile_corrected", "Journal"),
        ("/equipe/", "Équipe"),
        ("/page-inexistante/", "Page introuvable"),
    ]
    for path, title in pages:
        desk.goto(site(AGENCE, path))
        assert desk.locator("h1").inner_text() == title, path
        assert_accessible(axe, desk)
        if path == f"/locataires/{account.pk}/":
            screenshot(desk, "agence-tenant")
    # On a tablet, the same pages still work.
    desk.set_viewport_size({"width": 768, "height": 1024})
    desk.goto(site(AGENCE, f"/locataires/{account.pk}/"))
    assert_accessible(axe, desk)


def test_a_new_staff_member_sets_up_two_step_verification_first(site, desk, axe):
    user = create_staff("hdf", Role.CUSTOMER_RELATIONS, mfa=False)
    desk.goto(site(AGENCE))
    field(desk, "Identifiant").fill(user.email)
    field(desk, "Mot de passe").fill(PASSWORD)
    desk.get_by_role("button", name="Se connecter").click()
    # Sent to the setup, where allauth first asks for the password again.
    assert desk.locator("h1").inner_text() == "Confirmez votre mot de passe"
    assert "activez d'abord la vérification en deux étapes" in desk.locator("main").inner_text()
    assert_accessible(axe, desk)
    field(desk, "Mot de passe").fill(PASSWORD)
    desk.get_by_role("button", name=re.compile("Confirmer|Continuer|Valider")).click()
    assert desk.locator("h1").inner_text() == "Activer la vérification en deux étapes"
    assert_accessible(axe, desk)
    secret = desk.locator("code").first.inner_text().strip()
    field(desk, "Code à 6 chiffres").fill(totp_code(secret))
    desk.get_by_role("button", name="Activer").click()
    assert_accessible(axe, desk)
    desk.goto(site(AGENCE))
    assert desk.locator("h1").inner_text() == "Tableau de bord"
