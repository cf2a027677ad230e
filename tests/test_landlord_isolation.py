"""Each landlord's portal sealed from the others (issue 11, item 1).

One person, Jean DUPOND, signs leases at Habitat Marseille Provence (000123) and at the
OPH d'Aubervilliers (123456), with one login: what is issued on one landlord's host
(session, link, code) never works on the other's.
"""

import html
import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import User
from accounts.signup import create_activation_letter
from tenancies.models import Signatory
from tests.accounts.conftest import last_email_to, sms_code, solved_captcha, text_of
from tests.factories import (
    AccessFactory,
    EmailAddressFactory,
    LeaseFactory,
    SignatoryFactory,
    TenantAccountFactory,
)

pytestmark = pytest.mark.django_db

HMP = "hmp.localhost"
AUBERVILLIERS = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"
NEW = "Nouveau-loyer-2027"
WRONG_REPLY = "L’adresse e-mail ou le mot de passe sont incorrects."


@pytest.fixture
def jean(tenant):
    user = tenant("hmp", email="jean@exemple.com")
    AccessFactory(
        user=user, signatory=Signatory.objects.get(lease__account__number="123456", position=1)
    )
    return user


def sign_in(host, login="jean@exemple.com", password=PASSWORD, client=None, **extra):
    client = client or Client(**extra)
    client.response = client.post(
        "/compte/login/", {"login": login, "password": password}, HTTP_HOST=host
    )
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def error_summary(response) -> str:
    return text_of(response).split('class="error-summary"')[1].split("</div>")[0]


# Sessions


def test_a_session_cookie_from_hmp_is_not_honoured_on_aubervilliers(jean, caplog):
    at_hmp = sign_in(HMP)
    assert at_hmp.response["Location"] == "/mon-compte/"
    copied = Client()
    copied.cookies["sessionid"] = at_hmp.cookies["sessionid"].value

    with caplog.at_level(logging.WARNING, logger="landlords.scope"):
        account = copied.get("/mon-compte/", HTTP_HOST=AUBERVILLIERS)
        infos = copied.get("/mon-compte/mes-infos/", HTTP_HOST=AUBERVILLIERS)

    assert account.status_code == 302 and account["Location"].startswith("/compte/login/")
    assert infos.status_code == 302 and "jean@exemple.com" not in text_of(infos)
    logged = [r.getMessage() for r in caplog.records if r.name == "landlords.scope"]
    assert logged and all("treated as signed out" in line for line in logged)
    session_key = at_hmp.cookies["sessionid"].value
    assert not any(session_key in line or "jean@" in line for line in logged)
    # Nothing was changed: the cookie still works where it was issued.
    assert at_hmp.get("/mon-compte/", HTTP_HOST=HMP).status_code == 200


def test_a_tenant_session_is_not_honoured_on_the_platform_host(jean):
    at_hmp = sign_in(HMP)
    copied = Client()
    copied.cookies["sessionid"] = at_hmp.cookies["sessionid"].value

    response = copied.get("/compte/password/change/", HTTP_HOST="localhost")

    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_a_sign_up_in_progress_on_one_landlord_does_not_continue_on_another(client, demo):
    client.post(
        "/inscription/",
        {
            "account_number": "123456",
            "last_name": "DUPOND",
            "first_name": "Jean",
            "birth_date": "10/09/1975",
        },
        HTTP_HOST=AUBERVILLIERS,
    )
    assert client.get("/inscription/identifiants/", HTTP_HOST=AUBERVILLIERS).status_code == 200

    elsewhere = client.get("/inscription/identifiants/", HTTP_HOST=HMP)

    assert elsewhere["Location"] == "/inscription/"


# Signing in


def test_the_same_credentials_on_each_host_see_only_that_landlords_accounts(jean):
    at_hmp = sign_in(HMP)
    at_aubervilliers = sign_in(AUBERVILLIERS)

    hmp_page = text_of(at_hmp.get("/mon-compte/", HTTP_HOST=HMP))
    aubervilliers_page = text_of(at_aubervilliers.get("/mon-compte/", HTTP_HOST=AUBERVILLIERS))
    assert "000123" in hmp_page and "123456" not in hmp_page
    assert "123456" in aubervilliers_page and "000123" not in aubervilliers_page
    hmp_infos = text_of(at_hmp.get("/mon-compte/mes-infos/", HTTP_HOST=HMP))
    assert "votre compte" in hmp_infos and "vos comptes" not in hmp_infos


def test_a_login_that_exists_only_at_another_landlord_gets_the_wrong_password_reply(tenant):
    tenant("hmp", email="marie@exemple.com")

    elsewhere = sign_in(AUBERVILLIERS, "marie@exemple.com")
    wrong = sign_in(AUBERVILLIERS, "marie@exemple.com", "pas-le-bon-mot-de-passe")
    unknown = sign_in(AUBERVILLIERS, "personne@exemple.com")

    assert not signed_in(elsewhere)
    assert elsewhere.response.status_code == wrong.response.status_code == 200
    assert error_summary(elsewhere.response) == error_summary(wrong.response)
    assert error_summary(elsewhere.response) == error_summary(unknown.response)
    assert WRONG_REPLY in error_summary(elsewhere.response)
    # Its own host signs it in.
    assert signed_in(sign_in(HMP, "marie@exemple.com"))


def test_a_tenant_cannot_sign_in_on_the_platform_host(jean):
    response = sign_in("localhost")

    assert not signed_in(response)
    assert WRONG_REPLY in error_summary(response.response)


def test_a_login_of_another_landlord_costs_the_same_password_check(tenant, monkeypatch):
    """Same timing class: the password is hashed whether the login is of this landlord or not."""
    tenant("hmp", email="marie@exemple.com")
    checks = []
    original = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, raw: checks.append(raw) or original(self, raw)
    )

    sign_in(AUBERVILLIERS, "marie@exemple.com")
    elsewhere = len(checks)
    checks.clear()
    sign_in(AUBERVILLIERS, "marie@exemple.com", "pas-le-bon-mot-de-passe")

    assert elsewhere == len(checks) == 1


# Links and codes


def reset_link(address: str) -> str:
    return re.search(r"https?://\S+/compte/password/reset/key/\S+/", last_email_to(address).body)[0]


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_reset_link_opened_on_another_landlords_host_fails_and_changes_nothing(jean):
    Client().post("/compte/password/reset/", {"email": "jean@exemple.com"}, HTTP_HOST=HMP)
    link = reset_link("jean@exemple.com")
    assert link.startswith("http://hmp.localhost/")

    other = Client()
    page = " ".join(text_of(other.get(path_of(link), HTTP_HOST=AUBERVILLIERS)).split())
    assert "ne s'ouvre que sur l'espace locataire où il a été demandé" in page
    assert "Rien n'a été modifié" in page
    set_password = path_of(link).rsplit("/", 2)[0].rsplit("-", 1)[0] + "-set-password/"
    other.post(set_password, {"password1": NEW, "password2": NEW}, HTTP_HOST=AUBERVILLIERS)
    jean.refresh_from_db()
    assert jean.check_password(PASSWORD)

    # On HMP's host, where it was asked for, the same link works.
    browser = Client()
    form = browser.get(path_of(link), HTTP_HOST=HMP)
    done = browser.post(form["Location"], {"password1": NEW, "password2": NEW}, HTTP_HOST=HMP)
    assert done["Location"] == "/compte/password/reset/key/done/"
    jean.refresh_from_db()
    assert jean.check_password(NEW)


def test_the_reset_email_is_branded_for_the_landlord_it_was_asked_on(jean):
    Client().post("/compte/password/reset/", {"email": "jean@exemple.com"}, HTTP_HOST=AUBERVILLIERS)

    message = last_email_to("jean@exemple.com")
    assert message.from_email.startswith("OPH d'Aubervilliers <")
    assert message.subject == "OPH d'Aubervilliers : choisissez un nouveau mot de passe"
    assert "espace locataire OPH d'Aubervilliers" in message.body
    assert "Habitat Marseille" not in message.body
    assert reset_link("jean@exemple.com").startswith("http://aubervilliers.localhost/")
    assert "OPH d'Aubervilliers" in html.unescape(message.alternatives[0][0])


def test_a_reset_asked_on_another_landlords_host_sends_no_link(tenant):
    tenant("hmp", email="marie@exemple.com")

    reply = Client().post(
        "/compte/password/reset/", {"email": "marie@exemple.com"}, HTTP_HOST=AUBERVILLIERS
    )

    assert reply["Location"] == "/compte/password/reset/done/"
    message = last_email_to("marie@exemple.com")
    assert message.from_email.startswith("OPH d'Aubervilliers <")
    assert message.subject == "OPH d'Aubervilliers : demande de nouveau mot de passe"
    assert "Aucun accès à l'espace locataire OPH d'Aubervilliers n'utilise cette adresse" in (
        message.body
    )
    assert "/password/reset/key/" not in message.body
    assert "http://aubervilliers.localhost/inscription/" in message.body
    assert "Habitat Marseille" not in message.body + message.alternatives[0][0]


def sign_up_at_aubervilliers(client):
    client.post(
        "/inscription/",
        {
            "account_number": "123456",
            "last_name": "DUPOND",
            "first_name": "Jean",
            "birth_date": "10/09/1975",
        },
        HTTP_HOST=AUBERVILLIERS,
    )
    client.post(
        "/inscription/identifiants/",
        {
            "email": "jean.dupond@exemple.com",
            "email2": "jean.dupond@exemple.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "terms": "on",
        },
        HTTP_HOST=AUBERVILLIERS,
    )
    return re.search(
        r"https?://\S+/compte/confirm-email/\S+/", last_email_to("jean.dupond@exemple.com").body
    )[0]


def test_an_activation_link_opened_on_another_landlords_host_fails_and_changes_nothing(demo):
    link = sign_up_at_aubervilliers(Client())
    assert link.startswith("http://aubervilliers.localhost/")

    other = Client()
    page = other.get(path_of(link), HTTP_HOST=HMP)
    assert "Ce lien a été envoyé par OPH d'Aubervilliers" in text_of(page)
    assert "Rien n'a été modifié" in text_of(page)
    assert "jean.dupond@exemple.com" not in text_of(page)
    other.post(path_of(link), HTTP_HOST=HMP)
    assert not EmailAddress.objects.get().verified
    assert not signed_in(other)

    Client().post(path_of(link), HTTP_HOST=AUBERVILLIERS)
    assert EmailAddress.objects.get().verified


def test_an_email_change_link_works_only_on_the_host_that_sent_it(jean):
    at_hmp = sign_in(HMP)
    at_hmp.post(
        "/mon-compte/mes-infos/email/",
        {"email": "jean.nouveau@exemple.com", "password": PASSWORD},
        HTTP_HOST=HMP,
    )
    message = last_email_to("jean.nouveau@exemple.com")
    assert message.subject.startswith("Habitat Marseille Provence :")
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", message.body)[0]
    assert link.startswith("http://hmp.localhost/")

    at_aubervilliers = sign_in(AUBERVILLIERS)
    page = at_aubervilliers.get(path_of(link), HTTP_HOST=AUBERVILLIERS)
    at_aubervilliers.post(path_of(link), HTTP_HOST=AUBERVILLIERS)
    assert "Ce lien a été envoyé par Habitat Marseille Provence" in text_of(page)
    jean.refresh_from_db()
    assert jean.email == "jean@exemple.com"

    at_hmp.post(path_of(link), HTTP_HOST=HMP)
    jean.refresh_from_db()
    assert jean.email == "jean.nouveau@exemple.com"


def test_an_sms_reset_started_on_one_host_does_not_continue_on_another(tenant, settings):
    user = tenant("hdf", email="sophie@exemple.com")
    host = "hdf.localhost"
    client = Client()
    client.post(
        "/mot-de-passe-oublie/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST=host,
    )
    client.post("/mot-de-passe-oublie/telephone/", {"phone": "0612345661"}, HTTP_HOST=host)
    client.post("/mot-de-passe-oublie/code/", {"code": sms_code(settings)}, HTTP_HOST=host)
    copied = Client()
    copied.cookies["sessionid"] = client.cookies["sessionid"].value

    elsewhere = copied.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST="auvergne.localhost",
    )

    assert elsewhere["Location"] == "/mot-de-passe-oublie/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST=host,
    )
    assert done["Location"] == "/compte/password/reset/key/done/"
    message = last_email_to("sophie@exemple.com")
    assert message.from_email.startswith("Habitat Hauts-de-France <")


def test_a_letter_code_works_only_for_the_landlord_whose_signatory_it_was_printed_for(
    demo, django_user_model
):
    from landlords.models import Landlord

    hdf = Landlord.objects.get(slug="hdf")
    twin = TenantAccountFactory(
        landlord__identity_proof="phone_sms",
        landlord__account_number_pattern=hdf.account_number_pattern,
        landlord__host="autre.localhost",
        number="590000000012345",
    )
    SignatoryFactory(lease=LeaseFactory(account=twin), last_name="LEROY", first_name="Sophie")
    staff = django_user_model.objects.create_superuser("agent@hdf.example", "x")
    code = create_activation_letter(
        Signatory.objects.get(lease__account__landlord=hdf, last_name="LEROY"), staff
    )

    elsewhere = Client()
    twin_host = "autre.localhost"
    elsewhere.post("/inscription/", {"account_number": "590000000012345"}, HTTP_HOST=twin_host)
    refused = elsewhere.post("/inscription/code/", {"code": code}, HTTP_HOST=twin_host)
    # Refused as any code that is not this signatory's (the other landlord's code is unknown
    # here): nothing tells that it exists elsewhere.
    assert "Ce code n'est pas" in text_of(refused)

    at_hdf = Client()
    at_hdf.post(
        "/inscription/",
        {"account_number": "590000000012345", "captcha": solved_captcha()},
        HTTP_HOST="hdf.localhost",
    )
    accepted = at_hdf.post("/inscription/code/", {"code": code}, HTTP_HOST="hdf.localhost")
    assert accepted["Location"] == "/inscription/identifiants/"
    assert not mail.outbox


# Mes infos


def test_mes_infos_lists_and_ends_only_the_sessions_of_this_landlord(jean):
    at_hmp = sign_in(HMP, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1")
    at_aubervilliers = sign_in(AUBERVILLIERS, HTTP_USER_AGENT="Mozilla/5.0 (Android) Chrome/124")
    from allauth.usersessions.models import UserSession

    page = text_of(at_hmp.get("/mon-compte/mes-infos/appareils/", HTTP_HOST=HMP))
    assert "iPhone" in page and "Android" not in page
    elsewhere = UserSession.objects.get(user=jean, user_agent__contains="Android")
    at_hmp.post("/mon-compte/mes-infos/appareils/", {"session": elsewhere.pk}, HTTP_HOST=HMP)
    assert at_aubervilliers.get("/mon-compte/", HTTP_HOST=AUBERVILLIERS).status_code == 200


def test_closing_the_access_on_one_landlord_keeps_the_login_for_the_other(jean):
    at_hmp = sign_in(HMP)
    at_aubervilliers = sign_in(AUBERVILLIERS)

    at_hmp.post(
        "/mon-compte/mes-infos/fermer-mon-acces/",
        {"password": PASSWORD, "confirm": "on"},
        HTTP_HOST=HMP,
    )

    assert not signed_in(at_hmp)
    assert {a.landlord.slug for a in jean.accounts()} == {"aubervilliers"}
    assert at_aubervilliers.get("/mon-compte/", HTTP_HOST=AUBERVILLIERS).status_code == 200
    assert not signed_in(sign_in(HMP))
    assert signed_in(sign_in(AUBERVILLIERS))
    goodbye = last_email_to("jean@exemple.com")
    assert goodbye.subject.startswith("Habitat Marseille Provence :")
    assert "restent valables pour vos comptes chez d'autres bailleurs" in goodbye.body


def test_a_reset_asked_on_the_platform_host_for_a_tenant_sends_no_link(jean):
    reply = Client().post(
        "/compte/password/reset/", {"email": "jean@exemple.com"}, HTTP_HOST="localhost"
    )

    assert reply["Location"] == "/compte/password/reset/done/"
    assert "/password/reset/key/" not in last_email_to("jean@exemple.com").body


def test_staff_sign_in_on_the_platform_host_only(demo, django_user_model):
    staff = django_user_model.objects.create_user("equipe@exemple.fr", PASSWORD, is_staff=True)
    EmailAddressFactory(user=staff)

    assert not signed_in(sign_in(HMP, "equipe@exemple.fr"))
    at_platform = Client()
    at_platform.post(
        "/compte/login/?next=/admin/",
        {"login": "equipe@exemple.fr", "password": PASSWORD},
        HTTP_HOST="localhost",
    )
    assert signed_in(at_platform)


def test_an_anonymous_visit_stores_no_session(demo):
    response = Client().get("/", HTTP_HOST=HMP)

    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("key", ["MQ:1abc:forged", "pas-une-cle", "MQ:1xYeel:abc:def"])
def test_a_garbled_activation_link_says_it_is_not_valid(demo, key):
    page = Client().get(f"/compte/confirm-email/{key}/", HTTP_HOST=AUBERVILLIERS)

    assert page.status_code == 200
    assert "Ce lien d'activation n'est plus valable" in text_of(page)
