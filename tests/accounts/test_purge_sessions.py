"""The daily `purge_sessions` job forgets ended sessions and their "appareils connectés" rows."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def test_the_daily_job_removes_expired_sessions_and_their_devices(tenant):
    laptop, phone = Client(), Client()
    with freeze_time(START) as clock:
        jean = tenant("aubervilliers", email="jean@exemple.com")
        sign_in(laptop, HOST, "jean@exemple.com")
        old_key = laptop.session.session_key
        clock.tick(20 * 60)
        sign_in(phone, HOST, "jean@exemple.com")
        live_key = phone.session.session_key
        assert UserSession.objects.filter(user=jean).count() == 2
        clock.tick(20 * 60)  # the laptop's session idled out 30 minutes after its sign-in

        call_command("purge_sessions")

        assert list(Session.objects.values_list("session_key", flat=True)) == [live_key]
        assert list(
            UserSession.objects.filter(user=jean).values_list("session_key", flat=True)
        ) == [live_key]
        assert not UserSession.objects.filter(session_key=old_key).exists()
        assert phone.get("/mon-compte/", HTTP_HOST=HOST).status_code == 200


def test_a_sign_in_only_adds_its_row_and_the_list_of_devices_forgets_the_ended_ones(tenant):
    laptop, phone = Client(), Client()
    with freeze_time(START) as clock:
        jean = tenant("aubervilliers", email="jean@exemple.com")
        sign_in(laptop, HOST, "jean@exemple.com")
        old_key = laptop.session.session_key
        clock.tick(40 * 60)  # the laptop's session idled out
        sign_in(phone, HOST, "jean@exemple.com")
        live_key = phone.session.session_key
        # The sign-in wrote its own row and deleted nothing (the daily job, or the list).
        assert UserSession.objects.filter(user=jean).count() == 2

        page = phone.get("/mon-compte/mes-infos/appareils/", HTTP_HOST=HOST)

        assert page.status_code == 200
        assert page.content.decode().count(">Déconnecter</button>") == 1
        assert list(
            UserSession.objects.filter(user=jean).values_list("session_key", flat=True)
        ) == [live_key]
        assert not UserSession.objects.filter(session_key=old_key).exists()
