"""Growing delays after repeated failures, per client address and per target.

Kept in the shared cache (never per-process memory) so that every web process
sees the same counts. A target (an account number, an email) is delayed, never
locked for good, so an attacker cannot lock a tenant out; the delay doubles with
each failure past the free attempts, up to a ceiling.
"""

import time

from django.core.cache import cache

from core.client import client_ip

__all__ = [
    "clear",
    "client_ip",
    "longest_wait",
    "record_failure",
    "seconds_to_wait",
    "wait_message",
]

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 3600
FORGET_AFTER_SECONDS = 24 * 3600


def _cache_key(scope: str, key: str) -> str:
    return f"throttle:{scope}:{key}"


def locked_keys(scope: str, keys: list[str]) -> set[str]:
    """Which of `keys` are delayed now, asked of the cache in batches (the same state as
    `seconds_to_wait`, for a list of many keys)."""
    now = time.time()
    locked = set()
    for start in range(0, len(keys), 1000):
        batch = {_cache_key(scope, key): key for key in keys[start : start + 1000]}
        for cache_key, state in cache.get_many(list(batch)).items():
            if state and state["locked_until"] > now:
                locked.add(batch[cache_key])
    return locked


def seconds_to_wait(scope: str, keys: list[str]) -> int:
    return longest_wait([(scope, key) for key in keys])


def longest_wait(targets: list[tuple[str, str]]) -> int:
    """The wait of the most delayed of these (scope, key) targets: one question to the cache."""
    if not targets:
        return 0
    now = time.time()
    states = cache.get_many([_cache_key(scope, key) for scope, key in targets])
    waits = [
        state["locked_until"] - now
        for state in states.values()
        if state and state["locked_until"] > now
    ]
    return int(max(waits, default=0)) + (1 if waits else 0)


def record_failure(scope: str, keys: list[str], free_attempts: int = FREE_ATTEMPTS) -> int:
    """Count one more failure for each key; returns the highest count among them."""
    now = time.time()
    highest = 0
    for key in keys:
        cache_key = _cache_key(scope, key)
        state = cache.get(cache_key) or {"failures": 0, "locked_until": 0}
        state["failures"] += 1
        beyond = state["failures"] - free_attempts
        if beyond >= 0:
            delay = min(FIRST_DELAY_SECONDS * 2**beyond, MAX_DELAY_SECONDS)
            state["locked_until"] = now + delay
        cache.set(cache_key, state, FORGET_AFTER_SECONDS)
        highest = max(highest, state["failures"])
    return highest


def clear(scope: str, keys: list[str], also: list[str] | tuple[str, ...] = ()) -> None:
    """Forget the failures of `keys`, and the cache keys `also` in the same round trip."""
    cache.delete_many([_cache_key(scope, key) for key in keys] + list(also))


def wait_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Trop de tentatives. Pour votre sécurité, réessayez dans {minutes} {unit}."
