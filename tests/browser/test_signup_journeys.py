"""Each landlord's sign-up, as its guide describes it, in a real browser on a phone."""

import re

import pytest

from accounts.models import User
from tests.browser.conftest import assert_accessible, words_of

PASSWORDS = {
    "hmp.localhost": "Un loyer bien payé",
    "aubervilliers.localhost": "loyer-Aubervilliers-93",
    "auvergne.localhost": "Volcans-2026!",
    "hdf.localhost": "Lille2026",
}


@pytest.fixture
def outbox_site(demo_site, settings, tmp_path):
    settings.DEMO = True
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    return demo_site


def field(page, label):
    """The input labelled `label`, whether or not the label adds "(obligatoire)"."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(obligatoire\))?$"))


def wait_for_captcha(page):
    # A locator, not wait_for_function: that one evaluates a string, which the page's
    # Content-Security-Policy refuses (no 'unsafe-eval').
    # A check solved earlier in the journey is not asked again (accounts/captcha.py).
    if page.locator(".altcha").count():
        page.locator(".altcha[data-state=verified]").first.wait_for(
            state="attached", timeout=30_000
        )


def fill_credentials(page, host, email, axe):
    assert_accessible(axe, page)
    field(page, "Email").fill(email)
    field(page, "Confirmation email").fill(email)
    field(page, "Mot de passe").fill(PASSWORDS[host])
    field(page, "Confirmation mot de passe").fill(PASSWORDS[host])
    assert "respecte la règle" in page.locator(".password-status").inner_text()


def open_from_outbox(page, outbox_site, host, pattern, axe):
    page.goto(outbox_site(host, "/outbox/"))
    assert_accessible(axe, page)
    return page.get_by_role("link", name=re.compile(pattern)).first


def activate_and_see_the_account(page, outbox_site, host, axe, balance_text):
    assert page.locator("h1").inner_text() == "Inscription terminée"
    assert_accessible(axe, page)
    open_from_outbox(page, outbox_site, host, "confirm-email", axe).click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Activer mon accès").click()
    assert page.locator("h1").inner_text() == "Mon compte"
    assert balance_text in page.locator(".balance").first.inner_text()
    assert_accessible(axe, page)


def see_the_account_at_once_then_confirm_the_email(page, outbox_site, host, axe, balance_text):
    """Habitat Hauts-de-France: no activation by email, the SMS proved the mobile."""
    assert page.locator("h1").inner_text() == "Maintenant votre compte client est opérationnel"
    assert_accessible(axe, page)
    page.get_by_role("link", name="Accéder à mon compte").click()
    assert page.locator("h1").inner_text() == "Mon compte"
    assert balance_text in page.locator(".balance").first.inner_text()
    banner = page.get_by_role("region", name="Confirmez votre adresse email")
    assert "Renvoyer le lien" in banner.inner_text()
    assert_accessible(axe, page)

    open_from_outbox(page, outbox_site, host, "confirm-email", axe).click()
    assert page.locator("h1").inner_text() == "Confirmation de votre adresse email"
    assert_accessible(axe, page)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    assert page.locator("h1").inner_text() == "Mon compte"
    assert not page.get_by_role("region", name="Confirmez votre adresse email").count()


def start_from_home(page, outbox_site, host, axe):
    page.goto(outbox_site(host))
    page.get_by_role("link", name="Créez un compte dès maintenant !").click()
    assert page.locator("h1").inner_text().startswith("Inscription étape 1 /")
    assert_accessible(axe, page)


@pytest.mark.parametrize(
    ("host", "number", "last", "first", "born", "steps", "balance"),
    [
        ("hmp.localhost", "000123", "DUPOND", "Jean", "10/09/1975", 3, "Vous devez 470,30"),
        (
            "aubervilliers.localhost",
            "123456",
            "dupond",
            "jean",
            "10/09/1975",
            2,
            "Vous devez 610,68",
        ),
        ("auvergne.localhost", "0212345678901", "colin", "nadege", "14/03/1980", 2, "Vous devez"),
    ],
)
def test_sign_up_with_account_number_names_and_birth_date(
    outbox_site, phone, axe, host, number, last, first, born, steps, balance
):
    start_from_home(phone, outbox_site, host, axe)
    assert phone.locator("h1").inner_text() == f"Inscription étape 1 / {steps}"
    phone.locator("input[name=account_number]").fill(number)
    field(phone, "Nom").fill(last)
    field(phone, "Prénom").fill(first)
    field(phone, "Date de naissance").fill(born)
    if host == "auvergne.localhost":
        wait_for_captcha(phone)
    phone.get_by_role("button", name=words_of(phone)("signup_next")).click()

    assert phone.locator("h1").inner_text() == f"Inscription étape 2 / {steps}"
    fill_credentials(phone, host, f"{first}@exemple.com", axe)
    if steps == 3:
        phone.get_by_role("button", name=words_of(phone)("signup_next")).click()
        assert phone.locator("h1").inner_text() == "Inscription étape 3 / 3"
        assert_accessible(axe, phone)
    field(phone, "J'accepte les conditions générales d'utilisation").check()
    if host == "auvergne.localhost":
        wait_for_captcha(phone)
    phone.get_by_role("button", name=words_of(phone)("signup_finish")).click()

    activate_and_see_the_account(phone, outbox_site, host, axe, balance)
    assert User.objects.get(email=f"{first.lower()}@exemple.com").accesses.count() == 1


def test_hauts_de_france_sign_up_with_the_mobile_on_file_and_an_sms_code(outbox_site, phone, axe):
    host = "hdf.localhost"
    start_from_home(phone, outbox_site, host, axe)
    field(phone, "Code locataire").fill("590000000012345")
    wait_for_captcha(phone)
    phone.get_by_role("button", name=words_of(phone)("signup_next")).click()

    assert "06*****61" in phone.locator(".masked-phone").inner_text()
    assert_accessible(axe, phone)
    field(phone, "Votre numéro de téléphone portable, en entier").fill("06 12 34 56 61")
    phone.get_by_role("button", name=words_of(phone)("signup_next")).click()

    assert phone.locator("h1").inner_text() == "Inscription étape 3 / 4"
    assert_accessible(axe, phone)
    code_page = phone.url
    phone.goto(outbox_site(host, "/outbox/"))
    code = re.search(r"\b(\d{6})\b", phone.locator("article").first.inner_text())[1]
    phone.goto(code_page)
    field(phone, "Code reçu par SMS ou par courrier").fill(code)
    phone.get_by_role("button", name=words_of(phone)("signup_next")).click()

    assert phone.locator("h1").inner_text() == "Inscription étape 4 / 4"
    fill_credentials(phone, host, "sophie@exemple.com", axe)
    field(phone, "Téléphone fixe").fill("03 53 48 11 22")
    field(phone, "J'accepte les conditions générales d'utilisation").check()
    wait_for_captcha(phone)
    phone.get_by_role("button", name=words_of(phone)("signup_finish")).click()

    see_the_account_at_once_then_confirm_the_email(
        phone, outbox_site, host, axe, "12,00\xa0€ en votre faveur"
    )
