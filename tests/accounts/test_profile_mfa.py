"""Two-step verification (allauth.mfa): tenants may turn it on, staff must have it."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from core.allauth_bridge import SECRET_SESSION_KEY
from tests.accounts.conftest import last_email_to, text_of
from tests.backoffice.conftest import totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"


def reauthenticate(client, host=HOST):
    """allauth asks for the password again before touching the authenticators."""
    asked = client.get("/compte/2fa/totp/activate/", HTTP_HOST=host)["Location"]
    assert asked.startswith("/compte/reauthenticate/?next=")
    page = client.get(asked, HTTP_HOST=host)
    assert "<h1>Confirmez votre mot de passe</h1>" in text_of(page)
    wrong = client.post(asked, {"password": "pas-le-bon"}, HTTP_HOST=host)
    assert "Mot de passe : Mot de passe incorrect." in text_of(wrong)
    done = client.post(asked, {"password": PASSWORD}, HTTP_HOST=host)
    assert done["Location"] == "/compte/2fa/totp/activate/"


def activate_totp(client, host=HOST) -> str:
    """Turn TOTP on from the activation page; returns the page shown next."""
    page = client.get("/compte/2fa/totp/activate/", HTTP_HOST=host)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(
        "/compte/2fa/totp/activate/", {"code": totp_code(secret)}, HTTP_HOST=host
    )
    return response["Location"]


@pytest.fixture
def jean(tenant):
    return tenant("aubervilliers", email="jean@exemple.com")


@pytest.fixture
def browser(jean):
    client = Client()
    client.force_login(jean)
    return client


# allauth says so (message and email) once the transaction commits.
@pytest.mark.django_db(transaction=True)
def test_a_tenant_turns_on_two_step_verification_with_recovery_codes(browser, jean):
    infos = text_of(browser.get("/mon-compte/mes-infos/", HTTP_HOST=HOST))
    assert '<a href="/compte/2fa/">Activer la vérification en deux étapes</a>' in infos
    index = text_of(browser.get("/compte/2fa/", HTTP_HOST=HOST))
    assert index.count("<h1") == 1
    assert "Désactivée." in index

    reauthenticate(browser)
    page = text_of(browser.get("/compte/2fa/totp/activate/", HTTP_HOST=HOST))
    assert "<h1>Activer la vérification en deux étapes</h1>" in page
    # The QR code is the SVG itself (the CSP allows no data: image), named for screen readers.
    assert 'role="img" aria-label="QR code à scanner avec votre application' in page
    assert "<svg" in page and "data:image" not in page
    assert browser.session[SECRET_SESSION_KEY] in page

    wrong = browser.post("/compte/2fa/totp/activate/", {"code": "12345"}, HTTP_HOST=HOST)
    assert "Code à 6 chiffres : Code incorrect." in text_of(wrong)
    assert not Authenticator.objects.filter(user=jean).exists()

    assert activate_totp(browser) == "/compte/2fa/recovery-codes/"
    codes_page = text_of(browser.get("/compte/2fa/recovery-codes/", HTTP_HOST=HOST))
    assert "La vérification en deux étapes est activée." in codes_page
    assert "Il vous reste 10 codes de secours sur 10." in codes_page
    assert len(re.findall(r'<code class="account-number">\w+</code>', codes_page)) == 10
    notice = last_email_to("jean@exemple.com")
    assert notice.subject == "OPH d'Aubervilliers : la vérification en deux étapes est activée"
    infos = text_of(browser.get("/mon-compte/mes-infos/", HTTP_HOST=HOST))
    assert "Gérer la vérification en deux étapes" in infos


def test_signing_in_then_asks_for_a_code_or_a_recovery_code(browser, jean):
    reauthenticate(browser)
    activate_totp(browser)
    recovery_code = (
        Authenticator.objects.get(user=jean, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()[0]
    )
    client = Client()

    response = client.post(
        "/compte/login/", {"login": "jean@exemple.com", "password": PASSWORD}, HTTP_HOST=HOST
    )

    assert response["Location"] == "/compte/2fa/authenticate/"
    page = text_of(client.get("/compte/2fa/authenticate/", HTTP_HOST=HOST))
    assert page.count("<h1") == 1
    assert "Vérification en deux étapes" in page
    wrong = client.post("/compte/2fa/authenticate/", {"code": "000000"}, HTTP_HOST=HOST)
    assert "Code : Code incorrect." in text_of(wrong)
    done = client.post("/compte/2fa/authenticate/", {"code": recovery_code}, HTTP_HOST=HOST)
    assert done["Location"] == "/mon-compte/"


def test_a_tenant_turns_two_step_verification_off(browser, jean):
    reauthenticate(browser)
    activate_totp(browser)

    page = text_of(browser.get("/compte/2fa/totp/deactivate/", HTTP_HOST=HOST))
    assert "<h1>Désactiver la vérification en deux étapes</h1>" in page
    response = browser.post("/compte/2fa/totp/deactivate/", HTTP_HOST=HOST)

    assert response["Location"] == "/compte/2fa/"
    assert not Authenticator.objects.filter(user=jean).exists()
    notice = last_email_to("jean@exemple.com")
    assert "la vérification en deux étapes est désactivée" in notice.subject


def test_new_recovery_codes_replace_the_old_ones(browser, jean):
    reauthenticate(browser)
    activate_totp(browser)
    old = Authenticator.objects.get(user=jean, type="recovery_codes").wrap().get_unused_codes()

    page = text_of(browser.get("/compte/2fa/recovery-codes/generate/", HTTP_HOST=HOST))
    assert "Vos codes actuels ne fonctionneront plus." in page
    browser.post("/compte/2fa/recovery-codes/generate/", HTTP_HOST=HOST)

    new = Authenticator.objects.get(user=jean, type="recovery_codes").wrap().get_unused_codes()
    assert set(new).isdisjoint(old)
    download = browser.get("/compte/2fa/recovery-codes/download/", HTTP_HOST=HOST)
    assert download.content.decode().split() == new


# Staff


@pytest.fixture
def platform(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "accounts.staff.StaffMustUseMfaMiddleware"]


@pytest.fixture
def staff(platform, django_user_model):
    user = UserFactory(email="equipe@exemple.fr", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_staff_without_an_authenticator_are_sent_to_turn_it_on(staff):
    response = staff.get("/admin/", HTTP_HOST="localhost")

    assert response["Location"] == "/compte/2fa/totp/activate/"
    page = staff.get("/admin/tenancies/tenantaccount/", HTTP_HOST="localhost", follow=True)
    assert page.redirect_chain[0] == ("/compte/2fa/totp/activate/", 302)
    assert "activez d'abord la vérification en deux étapes" in text_of(page)
    reauthenticate(staff, host="localhost")
    activate_totp(staff, host="localhost")

    assert staff.get("/admin/", HTTP_HOST="localhost").status_code == 200


def test_staff_may_still_sign_out_of_the_admin(staff):
    response = staff.post("/admin/logout/", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert "_auth_user_id" not in staff.session


def test_tenants_are_not_asked_for_two_step_verification(platform, browser):
    assert browser.get("/mon-compte/mes-infos/", HTTP_HOST=HOST).status_code == 200
    assert browser.get("/admin/", HTTP_HOST="localhost")["Location"].startswith("/admin/login/")
