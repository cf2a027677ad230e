"""Signed-in pages read the session from the shared cache; a session ended is gone from it
at once, and a copy the cache kept by mistake outlives its row for a minute at most."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from accounts.session_store import CACHE_SECONDS, SessionStore
from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def session_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_its_session_from_the_cache(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, HOST, "jean@exemple.com")
    client.get("/mon-compte/", HTTP_HOST=HOST)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mon-compte/", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert "Mon compte" in response.text
    assert session_queries(queries) == []


def test_the_sign_in_leaves_its_new_session_in_the_cache(client, tenant):
    # Written by the sign-in's own INSERT (accounts.views.sign_in), then copied to the cache.
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, HOST, "jean@exemple.com")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mon-compte/", HTTP_HOST=HOST)

    assert response.status_code == 200
    # Read from the cache (the page may still write it: the sign-in's message shown).
    assert not [sql for sql in session_queries(queries) if sql.startswith("SELECT")]


def test_a_session_missing_from_the_cache_is_read_from_the_database(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, HOST, "jean@exemple.com")
    cache.clear()

    response = client.get("/mon-compte/", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert "Mon compte" in response.text


def test_signing_out_ends_the_session_in_the_cache_too(client, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(client, HOST, "jean@exemple.com")
    key = client.cookies["sessionid"].value
    client.get("/mon-compte/", HTTP_HOST=HOST)

    client.post("/compte/logout/", HTTP_HOST=HOST)
    client.cookies["sessionid"] = key  # a copy of the old cookie, replayed

    assert not Session.objects.filter(session_key=key).exists()
    response = client.get("/mon-compte/", HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_a_copy_the_cache_missed_the_end_of_lives_a_minute_at_most(client, tenant):
    with freeze_time(START) as clock:
        tenant("aubervilliers", email="jean@exemple.com")
        sign_in(client, HOST, "jean@exemple.com")
        key = client.cookies["sessionid"].value
        client.get("/mon-compte/", HTTP_HOST=HOST)
        # The row deleted while the cache did not hear of it (Redis unreachable meanwhile).
        Session.objects.filter(session_key=key).delete()
        assert client.get("/mon-compte/", HTTP_HOST=HOST).status_code == 200

        clock.tick(CACHE_SECONDS + 1)
        response = client.get("/mon-compte/", HTTP_HOST=HOST)

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_the_cache_keeps_a_session_no_longer_than_its_own_expiry():
    with freeze_time(START) as clock:
        store = SessionStore()
        store["vu"] = True
        store.set_expiry(20)
        store.save()
        clock.tick(21)

        assert SessionStore(store.session_key).load() == {}
