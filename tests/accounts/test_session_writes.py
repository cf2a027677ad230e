"""Signed-in pages write nothing until the session's expiry is due to be pushed ahead."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_mon_compte_with_a_fresh_session_writes_nothing(client, tenant):
    with freeze_time(START) as clock:
        tenant("aubervilliers", email="jean@exemple.com")
        sign_in(client, HOST, "jean@exemple.com")
        client.get("/mon-compte/", HTTP_HOST=HOST)
        clock.tick(60)

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/mon-compte/", HTTP_HOST=HOST)

    assert response.status_code == 200
    assert writes(queries) == []


def test_the_expiry_is_pushed_ahead_once_the_refresh_interval_has_passed(client, tenant):
    with freeze_time(START) as clock:
        tenant("aubervilliers", email="jean@exemple.com")
        sign_in(client, HOST, "jean@exemple.com")
        key = client.session.session_key
        first = Session.objects.get(session_key=key).expire_date
        clock.tick(6 * 60)

        with CaptureQueriesContext(connection) as queries:
            client.get("/mon-compte/", HTTP_HOST=HOST)

        assert writes(queries)
        assert Session.objects.get(session_key=key).expire_date == first + datetime.timedelta(
            minutes=6
        )


def test_a_session_seen_from_another_address_is_recorded_again_after_a_minute_at_most(
    client, tenant
):
    """A carrier that gives each connection another public address must not make every
    page write; "Vos appareils connectés" shows the new address at its first request a
    minute or more after the last one recorded."""
    with freeze_time(START) as clock:
        tenant("aubervilliers", email="jean@exemple.com")
        sign_in(client, HOST, "jean@exemple.com")
        key = client.session.session_key
        client.get("/mon-compte/", HTTP_HOST=HOST)  # the sign-in's message, shown once
        clock.tick(10)

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/mon-compte/", HTTP_HOST=HOST, REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 200
        assert writes(queries) == []
        assert UserSession.objects.get(session_key=key).ip != "192.0.2.7"

        clock.tick(60)
        client.get("/mon-compte/", HTTP_HOST=HOST, REMOTE_ADDR="192.0.2.8")

    assert UserSession.objects.get(session_key=key).ip == "192.0.2.8"
