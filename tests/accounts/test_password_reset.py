import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from tests.accounts.conftest import last_email_to, sms_code, solved_captcha, text_of

pytestmark = pytest.mark.django_db

NEW = "Nouveau-loyer-2027"


def reset_link(address: str) -> str:
    return re.search(r"https?://\S+/compte/password/reset/key/\S+/", last_email_to(address).body)[0]


def ask_link(client, host, email, **extra):
    return client.post("/compte/password/reset/", {"email": email, **extra}, HTTP_HOST=host)


def choose_password(client, host, link, password=NEW):
    page = client.get(link, HTTP_HOST=host)  # allauth moves the key into the session
    target = page.get("Location", link)
    return client.post(target, {"password1": password, "password2": password}, HTTP_HOST=host)


def test_forgotten_password_by_email_ends_other_sessions_and_says_so(client, tenant):
    user = tenant("aubervilliers", email="jean@exemple.com")
    elsewhere = Client()
    elsewhere.force_login(user)

    done = ask_link(client, "aubervilliers.localhost", "jean@exemple.com")
    assert done["Location"] == "/compte/password/reset/done/"
    link = reset_link("jean@exemple.com")
    assert link.startswith("http://aubervilliers.localhost/")
    response = choose_password(client, "aubervilliers.localhost", link)

    assert response["Location"] == "/compte/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert elsewhere.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost").status_code == 302
    assert "mot de passe" in last_email_to("jean@exemple.com").subject.lower()


def test_unknown_email_gets_the_same_reply(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")

    known = ask_link(client, "aubervilliers.localhost", "jean@exemple.com")
    unknown = ask_link(Client(), "aubervilliers.localhost", "personne@exemple.com")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_reset_link_works_once(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    ask_link(client, "aubervilliers.localhost", "jean@exemple.com")
    link = reset_link("jean@exemple.com")
    choose_password(client, "aubervilliers.localhost", link)

    again = Client().get(link, HTTP_HOST="aubervilliers.localhost", follow=True)

    assert "Ce lien n'est plus valable" in text_of(again)


def test_a_reset_link_is_dead_once_the_password_changed_otherwise(client, tenant):
    user = tenant("aubervilliers", email="jean@exemple.com")
    ask_link(client, "aubervilliers.localhost", "jean@exemple.com")
    link = reset_link("jean@exemple.com")
    user.set_password("Changé-autrement-2026")
    user.save()

    page = client.get(link, HTTP_HOST="aubervilliers.localhost", follow=True)

    assert "Ce lien n'est plus valable" in text_of(page)


def test_a_reset_link_expires_within_the_hour(client, tenant, monkeypatch):
    tenant("aubervilliers", email="jean@exemple.com")
    ask_link(client, "aubervilliers.localhost", "jean@exemple.com")
    link = reset_link("jean@exemple.com")
    later = datetime.datetime.now() + datetime.timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    page = client.get(link, HTTP_HOST="aubervilliers.localhost", follow=True)

    assert "Ce lien n'est plus valable" in text_of(page)


def test_a_forged_host_gets_no_reset_email(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")

    response = ask_link(client, "evil.example", "jean@exemple.com")

    assert response.status_code == 400
    assert not mail.outbox


def test_auvergne_asks_for_the_anti_robot_check(client, tenant):
    tenant("auvergne", email="nadege@exemple.com")

    refused = ask_link(client, "auvergne.localhost", "nadege@exemple.com")
    assert "La vérification anti-robot n'a pas abouti" in text_of(refused)
    assert not mail.outbox

    ask_link(client, "auvergne.localhost", "nadege@exemple.com", captcha=solved_captcha())
    assert reset_link("nadege@exemple.com")


def test_hauts_de_france_resets_with_tenant_code_mobile_and_sms(client, tenant, settings):
    user = tenant("hdf", email="sophie@exemple.com")
    host = "hdf.localhost"
    assert "Continuer avec mon code locataire" in text_of(
        client.get("/compte/password/reset/", HTTP_HOST=host)
    )

    client.post(
        "/mot-de-passe-oublie/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST=host,
    )
    assert "06*****61" in text_of(client.get("/mot-de-passe-oublie/telephone/", HTTP_HOST=host))
    client.post("/mot-de-passe-oublie/telephone/", {"phone": "0612345661"}, HTTP_HOST=host)
    client.post("/mot-de-passe-oublie/code/", {"code": sms_code(settings)}, HTTP_HOST=host)
    weak = client.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "lille", "password2": "lille"},
        HTTP_HOST=host,
    )
    assert "au moins 8 caractères" in text_of(weak)
    done = client.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST=host,
    )

    assert done["Location"] == "/compte/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password("Lille2027")
    assert "mot de passe" in last_email_to("sophie@exemple.com").subject.lower()


def test_the_new_password_step_needs_the_sms_code_first(client, tenant):
    tenant("hdf")
    client.post(
        "/mot-de-passe-oublie/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST="hdf.localhost",
    )

    response = client.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST="hdf.localhost",
    )

    assert response["Location"] == "/mot-de-passe-oublie/"


def test_an_account_without_a_login_gets_a_made_up_mask_and_no_sms(client, demo, settings):
    client.post(
        "/mot-de-passe-oublie/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST="hdf.localhost",
    )

    response = client.post(
        "/mot-de-passe-oublie/telephone/", {"phone": "0612345661"}, HTTP_HOST="hdf.localhost"
    )

    assert "Ce numéro ne correspond pas" in text_of(response)
    assert not settings.OUTBOX_DIR.exists() or not any(settings.OUTBOX_DIR.glob("*.json"))
