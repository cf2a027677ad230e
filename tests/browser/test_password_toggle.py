"""Every password field has a real button that shows the password and hides it again
(static/js/password-toggle.js), on every page that asks for one, on a phone."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts import reset_by_sms, signup
from tenancies.models import Signatory
from tests.browser.conftest import assert_accessible
from tests.browser.test_signup_journeys import field

SHOW = "Afficher le mot de passe"


def every_password_field_toggles(page, axe, count):
    """Each of the page's `count` password fields is followed by its own button, named
    "Afficher le mot de passe", pressed while the password shows as text."""
    fields = page.locator("input[type=password]")
    expect(fields).to_have_count(count)
    for index in range(count):
        password = fields.nth(index)  # the list changes as fields turn to text: kept by id
        password = page.locator(f"#{password.get_attribute('id')}")
        button = page.locator(f"button[aria-controls='{password.get_attribute('id')}']")
        expect(button).to_have_attribute("type", "button")
        expect(button).to_have_accessible_name(SHOW)
        expect(button).to_have_attribute("aria-pressed", "false")
        password.fill("Loyer-Payé-2026")

        button.click()
        expect(password).to_have_attribute("type", "text")
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(password).to_have_value("Loyer-Payé-2026")
        assert_accessible(axe, page)

        button.click()
        expect(password).to_have_attribute("type", "password")
        expect(button).to_have_attribute("aria-pressed", "false")
    # Only real buttons: none is a link or a div with a click handler.
    expect(page.get_by_role("button", name=SHOW)).to_have_count(count)


def with_session(page, site, host, values: dict):
    """The browser holds a session with `values` (a journey in progress), on `host`."""
    session = SessionStore()
    session.update(values)
    session.create()
    add_session_cookie(page, site, host, session.session_key)


def add_session_cookie(page, site, host, key):
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": site(host)}]
    )


def signed_in(page, site, host, user):
    client = Client()
    client.force_login(user)
    add_session_cookie(page, site, host, client.cookies[settings.SESSION_COOKIE_NAME].value)


def journey(account: str, signatory: Signatory | None = None, **state) -> dict:
    return {
        "started": timezone.now().timestamp(),
        "account": account,
        "signatory": signatory.pk if signatory else None,
        "proven": signatory is not None,
        "typed": {},
        **state,
    }


def signatory_of(number: str) -> Signatory:
    return Signatory.objects.filter(lease__account__number=number).order_by("position")[0]


@pytest.mark.parametrize(
    ("host", "path", "title"),
    [
        ("hmp.localhost", "/compte/login/", "Se connecter"),
        ("hdf.localhost", "/compte/login/", "Se connecter"),  # with the tenant code
        ("agence.hmp.localhost", "/", "Connexion à l'espace agence"),
    ],
)
def test_sign_in(demo_site, phone, axe, host, path, title):
    phone.goto(demo_site(host, path))

    expect(phone.locator("h1")).to_have_text(title)
    every_password_field_toggles(phone, axe, 1)


def test_sign_up_credentials(demo_site, phone, axe):
    host = "aubervilliers.localhost"
    state = journey("123456", signatory_of("123456"))
    with_session(phone, demo_site, host, {signup.SESSION_KEY: state})
    phone.goto(demo_site(host, "/inscription/identifiants/"))

    assert phone.locator("h1").inner_text().startswith("Inscription étape")
    every_password_field_toggles(phone, axe, 2)


def test_new_password_after_a_reset_by_email(
    demo_site, make_tenant, phone, axe, settings, tmp_path
):
    settings.DEMO = True
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "notifications.backends.OutboxEmailBackend"
    host = "aubervilliers.localhost"
    make_tenant("aubervilliers", email="jean@exemple.com")
    phone.goto(demo_site(host, "/compte/password/reset/"))
    field(phone, "Adresse email").fill("jean@exemple.com")
    phone.get_by_role("button", name="Recevoir le lien").click()
    phone.goto(demo_site(host, "/outbox/"))
    phone.locator("a[href*='/compte/password/reset/key/']").first.click()

    assert phone.locator("h1").inner_text() == "Nouveau mot de passe"
    every_password_field_toggles(phone, axe, 2)


def test_new_password_after_a_reset_by_sms(demo_site, make_tenant, phone, axe):
    host = "hdf.localhost"
    make_tenant("hdf", email="sophie@exemple.com")
    number = "590000000012345"
    state = journey(number, signatory_of(number))
    with_session(phone, demo_site, host, {reset_by_sms.SESSION_KEY: state})
    phone.goto(demo_site(host, "/mot-de-passe-oublie/nouveau/"))

    assert phone.locator("h1").inner_text() == "Nouveau mot de passe"
    every_password_field_toggles(phone, axe, 2)


@pytest.mark.parametrize(
    ("path", "title", "count"),
    [
        ("/mon-compte/mes-infos/mot-de-passe/", "Modifier mon mot de passe", 3),
        ("/mon-compte/mes-infos/email/", "Modifier mon adresse email", 1),
        ("/mon-compte/mes-infos/fermer-mon-acces/", "Fermer mon accès", 1),
        ("/compte/reauthenticate/", "Confirmez votre mot de passe", 1),
    ],
)
def test_mes_infos(demo_site, make_tenant, phone, axe, path, title, count):
    host = "hmp.localhost"
    signed_in(phone, demo_site, host, make_tenant("hmp"))
    phone.goto(demo_site(host, path))

    assert phone.locator("h1").inner_text() == title
    every_password_field_toggles(phone, axe, count)
