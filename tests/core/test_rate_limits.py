"""allauth's rate limits checked in one Redis script (core/rate_limits.py): the same answers
as allauth's own code, hit for hit, on a real redis-server of the test's own."""

import datetime
import inspect
import random
import re
import time
from pathlib import Path

import allauth as allauth_package
import pytest
import redis
from allauth.core.exceptions import RateLimited
from django.core.cache import cache, caches
from django.core.cache.backends import db as db_cache
from django.test import Client, RequestFactory

from core import fallback_cache, rate_limits
from core.allauth_bridge import ratelimit

pytestmark = pytest.mark.django_db(transaction=True)

LIMITS = {"act": "3/10s/ip,2/30s/key", "one": "2/5s/ip"}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def clock(monkeypatch):
    """time.time(), moved by hand (allauth's module and ours read the same `time`), and the
    database cache's clock with it (its expiry is `time.time()` plus the timeout, compared
    with its own `now`): else an entry would expire at once on a later real day."""
    now = [1_800_000_000.123456]
    monkeypatch.setattr(time, "time", lambda: now[0])
    monkeypatch.setattr(
        db_cache, "tz_now", lambda: datetime.datetime.fromtimestamp(now[0], datetime.UTC)
    )
    return now


def post(address="192.0.2.1", method="POST"):
    return RequestFactory().generic(method, "/", REMOTE_ADDR=address)


def hit(request, key="a@exemple.com", action="act", **options):
    return ratelimit.consume(request, app="tests", action=action, config=LIMITS, key=key, **options)


def script(seed: int) -> list[tuple]:
    """A random sequence of hits, rollbacks and clocks moved: (what, address, key)."""
    chance = random.Random(seed)
    steps = []
    for _ in range(120):
        what = chance.choice(["hit", "hit", "hit", "rollback", "wait", "clear"])
        steps.append((what, chance.choice(["192.0.2.1", "192.0.2.2"]), chance.choice("ab")))
    return steps


def play(steps, clock) -> list:
    answers, usages = [], []
    for what, address, key in steps:
        if what == "hit":
            usage = hit(post(address), key=key)
            answers.append(usage is not None)
            if usage is not None:
                usages.append(usage)
        elif what == "rollback" and usages:
            usages.pop(0).rollback()
        elif what == "wait":
            clock[0] += 4.5
        elif what == "clear":
            ratelimit.clear(post(address), app="tests", action="act", config=LIMITS, key=key)
        clock[0] += 0.25
    return answers


@pytest.mark.parametrize("seed", range(4))
def test_the_script_answers_each_hit_as_allauths_own_code_does(redis_server, settings, clock, seed):
    start = clock[0]
    on_redis = play(script(seed), clock)
    assert redis.Redis.from_url(redis_server.url).keys("*:hits")  # the script's own records

    settings.CACHES = LOCMEM  # allauth's lists and locks
    clock[0] = start
    assert play(script(seed), clock) == on_redis
    assert False in on_redis and True in on_redis


def test_a_consume_is_one_round_trip_and_its_rollback_another(redis_server, clock, monkeypatch):
    trips = []
    original = fallback_cache.FallbackCache._on_redis

    def counted(self, operation, *args, **kwargs):
        trips.append(operation)
        return original(self, operation, *args, **kwargs)

    monkeypatch.setattr(fallback_cache.FallbackCache, "_on_redis", counted)
    usage = hit(post())
    assert len(trips) == 1
    usage.rollback()
    assert len(trips) == 2


def test_the_amount_is_allowed_then_refused_until_the_first_hit_expires(redis_server, clock):
    clock[0] = 1_800_000_000.5  # exact sums: the boundary is tested to the bit
    request = post()
    assert hit(request, action="one") is not None
    clock[0] += 1
    assert hit(request, action="one") is not None
    assert hit(request, action="one") is None
    with pytest.raises(RateLimited):
        hit(request, action="one", raise_exception=True)
    clock[0] += 4  # the first hit is exactly 5 s old: no longer counted
    assert hit(request, action="one") is not None
    assert hit(request, action="one") is None
    # Another address has its own count.
    assert hit(post("192.0.2.9"), action="one") is not None


def test_a_refusing_rate_stops_the_check_and_the_rates_before_it_keep_their_hit(
    redis_server, clock
):
    # "3/10s/ip,2/30s/key": the key's limit refuses the third hit, which the address's
    # limit counted (allauth does the same), so the address has one hit left.
    assert hit(post(), key="a") and hit(post(), key="a")
    assert hit(post(), key="a") is None
    assert hit(post(), key="b") is None  # the address's 3 hits
    assert hit(post("192.0.2.2"), key="b") is not None


def test_a_rollback_removes_the_hits_of_its_consume_only(redis_server, clock):
    first = hit(post(), action="one")
    hit(post(), action="one")
    assert hit(post(), action="one") is None
    first.rollback()
    assert hit(post(), action="one") is not None
    assert hit(post(), action="one") is None


def test_a_dry_run_or_a_get_records_nothing(redis_server, clock):
    for _ in range(5):
        assert hit(post(), action="one", dry_run=True) is not None
        assert hit(post(method="GET"), action="one") is not None
    assert hit(post(), action="one") and hit(post(), action="one")
    assert hit(post(), action="one", dry_run=True) is None
    # A GET that asks to be limited is.
    assert hit(post(method="GET"), action="one", limit_get=True) is None


def test_clear_forgets_the_hits(redis_server, clock):
    hit(post(), key="a")
    hit(post(), key="a")
    assert hit(post(), key="a") is None
    ratelimit.clear(post(), app="tests", action="act", config=LIMITS, key="a")
    assert hit(post(), key="a") is not None


def test_without_redis_allauths_own_code_counts_in_the_database_cache(redis_server, clock):
    redis_server.stop()
    assert hit(post(), action="one") and hit(post(), action="one")
    assert hit(post(), action="one") is None
    assert isinstance(hit(post("192.0.2.9"), action="one"), ratelimit.RateLimitUsage)
    usage = hit(post("192.0.2.8"), action="one")
    assert not isinstance(usage, rate_limits.Usage)
    usage.rollback()
    rate = ratelimit.get_rates(app="tests", action="one", config=LIMITS)[0]
    kept = ratelimit.get_cache_key(post(), app="tests", action="one", rate=rate)
    assert len(cache.fallback.get(kept)) == 2  # allauth's list, in the database cache


def test_a_rollback_while_redis_is_down_leaves_the_hit_counted(redis_server, clock):
    usage = hit(post(), action="one")
    backend = caches["default"]
    backend._down_until = time.monotonic() + 60  # as after an operation that failed
    usage.rollback()  # no error: the hit stays until it expires (a stricter limit)
    backend._down_until = 0.0
    hit(post(), action="one")
    assert hit(post(), action="one") is None


def test_a_sign_in_on_redis_leaves_no_failure_counted(redis_server, tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    client = Client()
    answer = client.post(
        "/compte/login/",
        {"login": "jean@exemple.com", "password": "Loyer-Payé-2026"},
        HTTP_HOST="aubervilliers.localhost",
    )
    assert answer["Location"] == "/mon-compte/"
    server = redis.Redis.from_url(redis_server.url)
    # The failure limits' hits rolled back (their emptied sets are gone); the hit of the
    # sign-in limit stays.
    assert server.keys("*login_failed*") == []
    assert [server.zcard(key) for key in server.keys("*:login:*:hits")] == [1]


def test_allauth_still_checks_its_limits_through_the_functions_replaced():
    # Every caller of allauth's reaches consume and clear through their module (what
    # install() replaces), with the arguments ours take.
    def parameters(function):
        signature = inspect.signature(function)
        return [(p.name, p.kind, p.default) for p in signature.parameters.values()]

    assert ratelimit.consume is rate_limits.consume
    assert parameters(rate_limits._allauth_consume) == parameters(rate_limits.consume)
    assert parameters(rate_limits._allauth_clear) == parameters(rate_limits.clear)
    allauth = Path(allauth_package.__file__).parent
    for path in allauth.rglob("*.py"):
        if "tests" not in path.parts and path.name != "ratelimit.py":
            imported = re.search(r"import[^\n]*\b(consume|clear)\b", path.read_text())
            assert not imported, path
