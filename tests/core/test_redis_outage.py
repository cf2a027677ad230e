"""Redis stopped in the middle of a tenant's journey, then started again (issue 18, item 1).

A real redis-server of the test's own, the production cache settings pointing at it
(core.fallback_cache.FallbackCache, as config/settings.py builds it from REDIS_URL).
"""

import logging
import time

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from tests.accounts.conftest import sms_code, text_of
from tests.accounts.test_signup_by_phone import give_code, give_phone, start
from tests.accounts.test_signup_by_signatory_details import MISMATCH, identity

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"


def sign_in(client, password, login="jean@exemple.com"):
    return client.post("/compte/login/", {"login": login, "password": password}, HTTP_HOST=HOST)


def throttle_keys_in_redis(server) -> list[bytes]:
    return redis.Redis.from_url(server.url).keys("*throttle*")


def test_sign_in_and_sign_up_keep_their_throttling_while_redis_is_down(
    redis_server, tenant, caplog
):
    tenant("aubervilliers", email="jean@exemple.com")
    sign_in(Client(), "mauvais")
    assert throttle_keys_in_redis(redis_server)

    redis_server.stop()
    phone = Client(REMOTE_ADDR="198.51.100.20")
    with caplog.at_level(logging.INFO, logger="espace.outage"):
        # The tenant signs in meanwhile (rate limits, lockout and session work without Redis).
        laptop = Client(REMOTE_ADDR="198.51.100.10")
        assert sign_in(laptop, PASSWORD)["Location"] == "/mon-compte/"
        assert laptop.get("/mon-compte/", HTTP_HOST=HOST).status_code == 200
        # Pages that need no cache, and those that do, still answer.
        assert phone.get("/", HTTP_HOST=HOST).status_code == 200
        assert phone.get("/compte/login/", HTTP_HOST=HOST).status_code == 200
        replies = [sign_in(phone, f"essai-{n}") for n in range(8)]
        # The identity check of sign-up is throttled too.
        checks = [identity(Client(), HOST, first_name="X") for _ in range(6)]

    assert all(reply.status_code == 200 for reply in replies + checks)
    assert "Trop de tentatives" in text_of(replies[-1])
    assert "_auth_user_id" not in phone.session
    assert MISMATCH in text_of(checks[0]) and "Trop de tentatives" in text_of(checks[-1])
    # One line for the operator, however many requests met the outage.
    lines = [r.getMessage() for r in caplog.records if r.name == "espace.outage"]
    assert len(lines) == 1 and "database cache" in lines[0]

    redis_server.start()
    time.sleep(0.6)  # past RETRY_SECONDS: the next operation tries Redis
    with caplog.at_level(logging.INFO, logger="espace.outage"):
        cache.set("après", 1)
    # No restart: operations go to Redis again.
    assert redis.Redis.from_url(redis_server.url).keys("*après*")
    assert any("answers again" in r.getMessage() for r in caplog.records)
    fresh = Client(REMOTE_ADDR="198.51.100.99")
    assert sign_in(fresh, PASSWORD)["Location"] == "/mon-compte/"


def test_wrong_sign_up_codes_are_still_throttled_while_redis_is_down(
    redis_server, demo, settings, caplog
):
    # Habitat Hauts-de-France's sign-up: the mobile on file, then the SMS code.
    client = Client(REMOTE_ADDR="198.51.100.30")
    assert start(client)["Location"] == "/inscription/telephone/"
    assert give_phone(client)["Location"] == "/inscription/code/"
    wrong = "000000" if sms_code(settings) != "000000" else "111111"

    redis_server.stop()
    with caplog.at_level(logging.INFO, logger="espace.outage"):
        # Each code allows 5 tries; the address 15 in all, across the codes it asks for.
        replies = [give_code(client, wrong) for _ in range(16)]

    assert all(reply.status_code == 200 for reply in replies)
    assert "Il vous reste 4 essai" in text_of(replies[0])
    assert "Trop de tentatives" not in text_of(replies[-2])
    assert "Trop de tentatives" in text_of(replies[-1])
    lines = [r.getMessage() for r in caplog.records if r.name == "espace.outage"]
    assert len(lines) == 1 and "database cache" in lines[0]
