"""The links of the activation, email change and password reset emails, opened on a phone:
each is an absolute address on the landlord's tenants' host (inside the installed
application's scope "/"), even when the espace agence sends it."""

import re

import pytest
from django.core import mail

from accounts.models import Access
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.backoffice.conftest import create_staff
from tests.browser.conftest import assert_accessible, submit_login
from tests.browser.test_backoffice import sign_in as staff_sign_in
from tests.browser.test_signup_journeys import field, wait_for_captcha

PASSWORD = "Loyer-Payé-2026"


@pytest.fixture
def site(demo_site, live_server, settings):
    # As `make demo` does: links made without the tenant's request (from the espace
    # agence) name the port the portal is served on.
    settings.PUBLIC_PORT = int(live_server.url.rsplit(":", 1)[1])
    return demo_site


@pytest.fixture
def desk(browser):
    """The agency's office screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    yield context.new_page()
    context.close()


def link_in_last_email_to(address, path):
    [message] = [m for m in mail.outbox if address in m.to][-1:]
    [link] = set(re.findall(r"https?://[^\s\"<>]+" + re.escape(path) + r"[^\s\"<>]*", message.body))
    return link


def test_the_activation_email_resent_by_the_agency_opens_on_the_tenants_phone(
    site, make_tenant, desk, phone, axe
):
    user = make_tenant("hdf", email="sophie@exemple.com")
    user.emailaddress_set.update(verified=False)
    account = TenantAccount.objects.get(landlord__slug="hdf", number="590000000012345")
    assert Access.objects.filter(user=user, signatory__lease__account=account).exists()
    agent = create_staff("hdf", Role.AGENT, agencies=["LILLE"])

    staff_sign_in(desk, site, agent, axe)
    desk.goto(site("agence.hdf.localhost", f"/locataires/{account.pk}/"))
    action = desk.locator("li.bo-action", has_text="Renvoyer l'email d'activation")
    action.get_by_label(re.compile("^Motif")).fill("Email perdu, appel de la locataire")
    action.get_by_role("button", name="Renvoyer l'email").click()
    assert "Un nouveau lien d'activation est envoyé" in desk.locator(".messages").inner_text()

    link = link_in_last_email_to("sophie@exemple.com", "/compte/confirm-email/")
    assert link.startswith(site("hdf.localhost", "/compte/confirm-email/"))
    phone.goto(link)
    # HDF's access works without email activation: the address is confirmed later.
    assert phone.locator("h1").inner_text() == "Confirmation de votre adresse email"
    assert_accessible(axe, phone)
    phone.get_by_role("button", name="Confirmer mon adresse").click()
    # Another browser than the sign-up's: the tenant signs in, as the page asks.
    assert phone.locator("h1").inner_text() == "Se connecter"
    assert user.emailaddress_set.get().verified
    submit_login(phone, "590000000012345", PASSWORD)
    assert phone.locator("h1").inner_text() == "Mon compte"


def test_the_email_change_link_opens_on_the_tenants_phone(site, make_tenant, phone, axe):
    user = make_tenant("hmp", email="jean@exemple.com")
    phone.goto(site("hmp.localhost", "/compte/login/"))
    submit_login(phone, "jean@exemple.com", PASSWORD)
    phone.goto(site("hmp.localhost", "/mon-compte/mes-infos/email/"))
    field(phone, "Nouvelle adresse email").fill("jean.dupond@exemple.com")
    phone.get_by_label(re.compile("^Mot de passe")).fill(PASSWORD)
    phone.get_by_role("button", name="Modifier").click()
    assert phone.locator("h1").inner_text() == "Mes infos"

    link = link_in_last_email_to("jean.dupond@exemple.com", "/compte/confirm-email/")
    assert link.startswith(site("hmp.localhost", "/compte/confirm-email/"))
    phone.goto(link)
    assert_accessible(axe, phone)
    assert phone.locator("h1").inner_text() == "Confirmation de votre nouvelle adresse email"
    phone.get_by_role("button", name="Confirmer ma nouvelle adresse").click()
    assert phone.locator("h1").inner_text() == "Mon compte"
    user.refresh_from_db()
    assert user.email == "jean.dupond@exemple.com"


def test_the_password_reset_link_opens_on_the_tenants_phone(site, make_tenant, phone, axe):
    make_tenant("auvergne", email="nadege@exemple.com")
    phone.goto(site("auvergne.localhost", "/compte/password/reset/"))
    field(phone, "Adresse email").fill("nadege@exemple.com")
    wait_for_captcha(phone)
    phone.get_by_role("button", name="Recevoir le lien").click()
    assert phone.locator("h1").inner_text() == "Vérifiez votre messagerie"

    link = link_in_last_email_to("nadege@exemple.com", "/compte/password/reset/key/")
    assert link.startswith(site("auvergne.localhost", "/compte/password/reset/key/"))
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "Nouveau mot de passe"
    assert_accessible(axe, phone)
