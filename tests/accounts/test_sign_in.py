import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.accounts.conftest import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "Loyer-Payé-2026"


def sign_in(client, host, login, password=PASSWORD, **extra):
    return client.post(
        "/compte/login/" + extra.pop("query", ""),
        {"login": login, "password": password},
        HTTP_HOST=host,
        **extra,
    )


def test_sign_in_with_email_rotates_the_session_and_opens_mon_compte(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    client.get("/compte/login/", HTTP_HOST="aubervilliers.localhost")
    before = client.session.session_key

    response = sign_in(client, "aubervilliers.localhost", "jean@exemple.com")

    assert response["Location"] == "/mon-compte/"
    assert client.session.session_key != before
    page = client.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")
    assert "Vous devez 610,68" in text_of(page)


def test_hauts_de_france_tenants_sign_in_with_their_tenant_code(client, tenant):
    tenant("hdf", email="sophie@exemple.com")
    page = text_of(client.get("/compte/login/", HTTP_HOST="hdf.localhost"))
    assert "Votre code locataire" in page

    refused = sign_in(client, "hdf.localhost", "sophie@exemple.com")
    assert "Le code locataire et/ou le mot de passe ne sont pas corrects." in text_of(refused)

    response = sign_in(client, "hdf.localhost", "590 000 000 012 345")
    assert response["Location"] == "/mon-compte/"


@pytest.mark.parametrize(
    ("host", "known_login", "message"),
    [
        ("aubervilliers.localhost", "jean@exemple.com", "mot de passe"),
        ("hdf.localhost", "590000000012345", "Le code locataire et/ou le mot de passe"),
    ],
)
def test_unknown_identifier_and_wrong_password_get_the_same_reply(
    client, tenant, host, known_login, message
):
    tenant("aubervilliers", email="jean@exemple.com")
    tenant("hdf")
    unknown = "inconnu@exemple.com" if "@" in known_login else "590000000099999"

    wrong_password = sign_in(client, host, known_login, "pas-le-bon-mot-de-passe")
    unknown_login = sign_in(Client(), host, unknown, "pas-le-bon-mot-de-passe")

    assert wrong_password.status_code == unknown_login.status_code == 200
    errors = [
        text_of(r).split('class="error-summary"')[1].split("</div>")[0]
        for r in (
            wrong_password,
            unknown_login,
        )
    ]
    assert errors[0] == errors[1]
    assert message in errors[0]


def test_repeated_failures_slow_down_that_identifier_only(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    tenant("hmp", email="marie@exemple.com")
    for _ in range(5):
        sign_in(client, "aubervilliers.localhost", "jean@exemple.com", "mauvais")

    blocked = sign_in(client, "aubervilliers.localhost", "jean@exemple.com")
    assert "Trop de tentatives" in text_of(blocked)
    assert "_auth_user_id" not in client.session

    # Another tenant behind the same address signs in normally.
    other = sign_in(Client(), "hmp.localhost", "marie@exemple.com")
    assert other["Location"] == "/mon-compte/"


def test_a_tenant_is_not_locked_out_for_good(client, tenant, monkeypatch):
    tenant("aubervilliers", email="jean@exemple.com")
    for _ in range(10):
        sign_in(client, "aubervilliers.localhost", "jean@exemple.com", "mauvais")
    assert "Trop de tentatives" in text_of(
        sign_in(client, "aubervilliers.localhost", "jean@exemple.com")
    )

    # The longest delay is an hour: an hour and a minute later, the tenant gets in.
    later = time.time() + 3660
    monkeypatch.setattr("core.throttle.time.time", lambda: later)
    monkeypatch.setattr("allauth.core.internal.ratelimit.time.time", lambda: later)

    assert (
        sign_in(client, "aubervilliers.localhost", "jean@exemple.com")["Location"] == "/mon-compte/"
    )


def test_next_pointing_elsewhere_is_ignored(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")

    response = sign_in(
        client,
        "aubervilliers.localhost",
        "jean@exemple.com",
        query="?next=https://evil.example/",
    )

    assert response["Location"] == "/mon-compte/"


def test_sign_out_ends_the_session_on_the_server(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, "aubervilliers.localhost", "jean@exemple.com")
    stolen_cookie = client.cookies["sessionid"].value

    client.post("/compte/logout/", HTTP_HOST="aubervilliers.localhost")

    replay = Client()
    replay.cookies["sessionid"] = stolen_cookie
    response = replay.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_a_session_ends_twelve_hours_after_sign_in_even_when_active(client, tenant, settings):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, "aubervilliers.localhost", "jean@exemple.com")
    client.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")
    session = client.session
    session["signed_in_at"] = time.time() - settings.SESSION_MAX_AGE_SECONDS - 1
    session.save()

    response = client.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_each_request_gives_the_session_thirty_more_minutes_and_no_more(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, "aubervilliers.localhost", "jean@exemple.com")

    client.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")

    stored = Session.objects.get(session_key=client.session.session_key)
    left = (stored.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60
    # The cookie itself dies with the browser: nothing stays on a shared computer.
    assert client.session.get_expire_at_browser_close()


def test_the_login_comes_with_its_addresses_its_access_here_and_its_mfa_in_one_query(tenant):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.db import connection
    from django.test.client import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from accounts.backends import EmailBackend
    from accounts.session_store import SessionStore
    from core.allauth_bridge import (
        TOTP,
        cached_email_addresses,
        generate_totp_secret,
        is_mfa_enabled,
    )
    from landlords.models import Landlord
    from tests.factories import EmailAddressFactory

    EmailAddressFactory(email="autre@exemple.com")  # another login's, numbered first
    jean = tenant("aubervilliers", email="jean@exemple.com")
    EmailAddressFactory(user=jean, email="jean.autre@exemple.com", primary=False)
    TOTP.activate(jean, generate_totp_secret())
    request = RequestFactory().post("/compte/login/")
    request.landlord = Landlord.objects.get(slug="aubervilliers")
    request.session = SessionStore()
    asked_at_sign_in = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

    with CaptureQueriesContext(connection) as queries:
        found = EmailBackend().authenticate(
            request, email="Jean.Autre@exemple.com", password=PASSWORD
        )
        assert is_mfa_enabled(found, asked_at_sign_in)
    assert found == jean
    assert found.last_login == jean.last_login and found.date_joined == jean.date_joined
    addresses = cached_email_addresses(found)
    assert sorted(
        (address.pk, address.user_id, address.email, address.verified, address.primary)
        for address in addresses
    ) == sorted(
        EmailAddress.objects.filter(user=jean).values_list(
            "pk", "user", "email", "verified", "primary"
        )
    )
    assert {address.email for address in addresses} == {
        "jean@exemple.com",
        "jean.autre@exemple.com",
    }
    assert all(address.user is found for address in addresses)
    assert len(queries) == 1
    # Any other question about MFA is the database's, as allauth asks it.
    Authenticator.objects.filter(user=jean).delete()
    assert not is_mfa_enabled(found)
    assert not is_mfa_enabled(found, asked_at_sign_in)  # the lookup's answer served once
    again = EmailBackend().authenticate(request, email="jean@exemple.com", password=PASSWORD)
    assert not is_mfa_enabled(again, asked_at_sign_in)
    # The login has no access on another landlord's host.
    request.landlord = Landlord.objects.get(slug="hmp")
    assert EmailBackend().authenticate(request, email="jean@exemple.com", password=PASSWORD) is None
    request.landlord = Landlord.objects.get(slug="aubervilliers")
    assert EmailBackend().authenticate(request, email="jean@exemple.com", password="faux") is None
    assert EmailBackend().authenticate(request, email="nul@exemple.com", password=PASSWORD) is None
    # Addresses not verified yet sign in too (allauth's rule: the users' table as well).
    EmailAddress.objects.filter(user=jean).update(verified=False)
    assert EmailBackend().authenticate(request, email="jean@exemple.com", password=PASSWORD) == jean
    EmailAddress.objects.filter(user=jean).delete()
    assert EmailBackend().authenticate(request, email="jean@exemple.com", password=PASSWORD) == jean
