"""allauth's rate limits in one Redis round trip per check, the same limits and rules.

allauth keeps the hits of each limit (a rate of an action, per address, key or user) as
a list of timestamps in the cache, read and written under a lock made of `cache.add` and
`cache.delete`: four round trips per rate. A sign-in checks three rates and rolls two back
(a successful sign-in does not count as a failure): 20 round trips, most of what a
sign-in asks of the cache. While the cache is Redis (core.fallback_cache), `consume`
here checks every rate of the action in one Lua script, which Redis runs atomically
(no lock needed), and `rollback` and `clear` are one script or command each. The rules
are allauth's:

- a hit counts for the rate's duration; a rate allows a hit while fewer than its amount
  are counted, and records it (unless `dry_run`);
- the action's rates are checked in order: the first that refuses stops the check, and
  those before it keep their hit (as allauth does); the whole consume then refuses
  (None, or `RateLimited` with `raise_exception`);
- a GET is not limited unless `limit_get`; a rollback removes the hits its consume
  recorded; `clear` forgets a limit.

The hits are a sorted set (score: the time of the hit) at allauth's cache key followed by
HITS: a name of their own, so that allauth's lists (during a Redis outage, in the database
cache) and these never meet. Without Redis (the database cache meanwhile, or another
cache backend), allauth's own functions do the work. allauth's lock could also refuse a
hit whose lock stayed taken for a second under contention; an atomic script never needs
to, and still refuses every hit past the amount.
"""

import contextlib
import secrets
import time
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import caches

from core.allauth_bridge import ratelimit
from core.fallback_cache import FallbackCache, RedisUnavailable

HITS = ":hits"

# KEYS: one sorted set per rate, in order. ARGV: the time, the hit's member, "1" for a
# dry run, then each rate's amount and duration (seconds). Returns 0 when every rate
# allows the hit (each has it recorded), else the position of the first that refused.
CONSUME = """
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local amount = tonumber(ARGV[2 + 2 * i])
  local duration = tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
  if redis.call('ZCARD', key) >= amount then
    return i
  end
  if ARGV[3] ~= '1' then
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('EXPIRE', key, math.ceil(duration))
  end
end
return 0
"""
# KEYS: the sorted sets a consume recorded its hit in; ARGV: the hit's member.
ROLLBACK = """
for _, key in ipairs(KEYS) do
  redis.call('ZREM', key, ARGV[1])
end
return 0
"""

_allauth_consume = ratelimit.consume
_allauth_clear = ratelimit.clear


def _redis() -> FallbackCache | None:
    """The cache, when it is the one that runs scripts on Redis."""
    backend = caches["default"]
    return backend if isinstance(backend, FallbackCache) else None


@dataclass
class Usage(ratelimit.RateLimitUsage):
    """The hits one consume recorded on Redis (allauth's usage for its own lists)."""

    keys: tuple[str, ...] = ()
    member: str = ""

    def rollback(self) -> None:
        # Made by consume() only where the cache runs scripts.
        backend = cast(FallbackCache, caches["default"])
        # Without Redis the hits stay counted until they expire: a stricter limit, as
        # when allauth's rollback cannot take its lock.
        with contextlib.suppress(RedisUnavailable):
            backend.run_script(ROLLBACK, list(self.keys), [self.member])


def consume(
    request,
    *,
    app: str,
    action: str,
    config: dict[str, str] | None = None,
    key=None,
    user=None,
    dry_run: bool = False,
    limit_get: bool = False,
    raise_exception: bool = False,
):
    """allauth's `ratelimit.consume`, in one round trip to Redis."""
    arguments = {"app": app, "action": action, "config": config, "key": key, "user": user}
    backend = _redis()
    if backend is None:
        return _allauth_consume(
            request, **arguments, dry_run=dry_run, limit_get=limit_get,
            raise_exception=raise_exception,
        )  # fmt: skip
    if (not limit_get) and request.method == "GET":
        return ratelimit.RateLimitUsage(usage=[])
    rates = ratelimit.get_rates(app=app, action=action, config=config)
    if not rates:
        return ratelimit.RateLimitUsage(usage=[])
    keys = [
        ratelimit.get_cache_key(request, app=app, action=action, rate=rate, key=key, user=user)
        + HITS
        for rate in rates
    ]
    now = time.time()
    # Unique among the hits of a key, whatever the clocks of the web processes.
    member = f"{now!r}:{secrets.token_hex(6)}"
    args: list[Any] = [repr(now), member, "1" if dry_run else "0"]
    for rate in rates:
        args += [rate.amount, repr(float(rate.duration))]
    try:
        refused = backend.run_script(CONSUME, keys, args)
    except RedisUnavailable:
        return _allauth_consume(
            request, **arguments, dry_run=dry_run, limit_get=limit_get,
            raise_exception=raise_exception,
        )  # fmt: skip
    if refused:
        if raise_exception:
            raise ratelimit.RateLimited
        return None
    return Usage(usage=[], keys=tuple(keys), member=member)


def clear(request, *, app: str, action: str, config=None, key=None, user=None) -> None:
    """allauth's `ratelimit.clear`: both kinds of record of the limit forgotten."""
    _allauth_clear(request, app=app, action=action, config=config, key=key, user=user)
    backend = _redis()
    if backend is not None:
        rates = ratelimit.get_rates(app=app, action=action, config=config)
        backend.delete_many(
            [
                ratelimit.get_cache_key(
                    request, app=app, action=action, rate=rate, key=key, user=user
                )
                + HITS
                for rate in rates
            ]
        )


def install() -> None:
    """allauth's rate limits (every caller goes through its module's `consume`, its
    decorator included) checked here."""
    ratelimit.consume = consume
    ratelimit.clear = clear
