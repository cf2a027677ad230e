"""Sign-in throttling that never locks the real tenant out (issue 11, item 3)."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.accounts.conftest import last_email_to, sms_code, solved_captcha, text_of
from tests.factories import AccessFactory

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"
NEW = "Nouveau-loyer-2027"
LOCKED_SUBJECT = "OPH d'Aubervilliers : des tentatives de connexion ont échoué"


def attempt(client, password, login="jean@exemple.com", host=HOST):
    return client.post("/compte/login/", {"login": login, "password": password}, HTTP_HOST=host)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def attack(login="jean@exemple.com", host=HOST, times=30):
    """Wrong passwords for one identifier, each from another address."""
    for n in range(times):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), f"essai-{n}", login, host)


@pytest.fixture
def jean(tenant):
    return tenant("aubervilliers", email="jean@exemple.com")


@pytest.fixture
def jeans_phone(jean):
    """The browser Jean signs in with every month, signed out since."""
    phone = Client(REMOTE_ADDR="198.51.100.20")
    assert attempt(phone, PASSWORD)["Location"] == "/mon-compte/"
    assert "appareil_connu" in phone.cookies
    phone.post("/compte/logout/", HTTP_HOST=HOST)
    assert not signed_in(phone)
    return phone


def test_the_tenants_own_browser_signs_in_while_the_identifier_is_under_attack(jeans_phone):
    attack()

    fresh = Client(REMOTE_ADDR="198.51.100.99")
    held = attempt(fresh, PASSWORD)
    assert "Trop de tentatives" in text_of(held) and not signed_in(fresh)

    response = attempt(jeans_phone, PASSWORD)
    assert response["Location"] == "/mon-compte/"
    assert signed_in(jeans_phone)


def test_the_known_browser_is_held_by_its_own_failures(jeans_phone):
    for _ in range(5):
        attempt(jeans_phone, "mauvais")

    held = attempt(jeans_phone, PASSWORD)

    assert "Trop de tentatives" in text_of(held)
    assert not signed_in(jeans_phone)
    # Its failures are its own: another browser is not held by them.
    assert attempt(Client(REMOTE_ADDR="198.51.100.30"), PASSWORD)["Location"] == "/mon-compte/"


def test_a_device_cookie_counts_only_on_the_landlord_host_that_set_it(tenant, jeans_phone):
    from accounts.models import Access
    from tenancies.models import Signatory

    # Jean also signs a lease at HMP; his phone is known on Aubervilliers' host only.
    user = Access.objects.get().user
    AccessFactory(
        user=user, signatory=Signatory.objects.get(lease__account__number="000123", position=1)
    )
    attack(host="hmp.localhost")
    copied = Client(REMOTE_ADDR="198.51.100.20")
    copied.cookies["appareil_connu"] = jeans_phone.cookies["appareil_connu"].value

    held = attempt(copied, PASSWORD, host="hmp.localhost")

    assert "Trop de tentatives" in text_of(held)


def test_a_forged_device_cookie_is_worth_nothing(jeans_phone):
    attack()
    forged = Client(REMOTE_ADDR="198.51.100.20")
    forged.cookies["appareil_connu"] = jeans_phone.cookies["appareil_connu"].value[:-3] + "abc"

    assert "Trop de tentatives" in text_of(attempt(forged, PASSWORD))


def test_the_tenant_gets_one_email_when_the_lock_starts(jean):
    attack()

    sent = [m for m in mail.outbox if m.subject == LOCKED_SUBJECT]
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["jean@exemple.com"]
    assert message.from_email.startswith("OPH d'Aubervilliers <")
    assert "Des tentatives de connexion à votre espace locataire de l'OPH" in message.body
    assert "http://aubervilliers.localhost/compte/password/reset/" in message.body
    assert "où vous vous êtes déjà connecté" in message.body


def test_no_lock_email_for_an_identifier_nobody_has(jean):
    attack(login="personne@exemple.com")

    assert not [m for m in mail.outbox if m.subject == LOCKED_SUBJECT]


def test_the_email_reset_lifts_the_lock(jean):
    attack()
    fresh = Client(REMOTE_ADDR="198.51.100.40")
    assert "Trop de tentatives" in text_of(attempt(fresh, PASSWORD))

    fresh.post("/compte/password/reset/", {"email": "jean@exemple.com"}, HTTP_HOST=HOST)
    link = re.search(r"https?://\S+/compte/password/reset/key/\S+/", last_email_to(jean.email).body)
    form = fresh.get(link[0], HTTP_HOST=HOST)
    fresh.post(form["Location"], {"password1": NEW, "password2": NEW}, HTTP_HOST=HOST)

    assert attempt(Client(REMOTE_ADDR="198.51.100.41"), NEW)["Location"] == "/mon-compte/"


def test_the_sms_reset_lifts_the_lock(tenant, settings):
    tenant("hdf", email="sophie@exemple.com")
    host = "hdf.localhost"
    attack(login="590000000012345", host=host)
    fresh = Client(REMOTE_ADDR="198.51.100.50")
    assert "Trop de tentatives" in text_of(attempt(fresh, PASSWORD, "590000000012345", host))

    fresh.post(
        "/mot-de-passe-oublie/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST=host,
    )
    fresh.post("/mot-de-passe-oublie/telephone/", {"phone": "0612345661"}, HTTP_HOST=host)
    fresh.post("/mot-de-passe-oublie/code/", {"code": sms_code(settings)}, HTTP_HOST=host)
    fresh.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST=host,
    )

    again = attempt(Client(REMOTE_ADDR="198.51.100.51"), "Lille2027", "590000000012345", host)
    assert again["Location"] == "/mon-compte/"


def test_the_tenant_signing_in_from_a_known_browser_gives_the_attack_no_fresh_tries(jeans_phone):
    attack()
    assert attempt(jeans_phone, PASSWORD)["Location"] == "/mon-compte/"

    again = Client(REMOTE_ADDR="203.0.113.200")
    assert "Trop de tentatives" in text_of(attempt(again, PASSWORD))
    assert len([m for m in mail.outbox if m.subject == LOCKED_SUBJECT]) == 1
