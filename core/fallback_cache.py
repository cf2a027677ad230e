"""The shared cache: Redis, and the database cache while Redis does not answer.

Throttling (core/throttle.py), allauth's rate limits and the sign-in lockout keep their
counts in the cache: if Redis is down they must not fail (a 500) nor forget (an attacker
would get unlimited attempts). This backend sends every operation to Redis; when Redis
refuses or times out it logs one line a minute (core.outage.note), sends the operations of
the next few seconds to the database cache table (`createcachetable`), then tries Redis
again, so nothing needs a restart when Redis is back. Counts written during the outage stay
in the database table; those written before it are in Redis again when it comes back.
If the database is down too, the request answers the French 503 page (config/views.py).
"""

import threading
import time
from typing import Any

from django.core.cache.backends.db import BaseDatabaseCache, DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

from core import outage

# A Redis that is not there must cost milliseconds, not the client's default retries with
# back-off (seconds per operation); one immediate retry replaces a connection that a Redis
# restart closed.
REDIS_DEFAULTS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "retry": Retry(NoBackoff(), 1),
}
RETRY_REDIS_AFTER_SECONDS = 5
DOWN_MESSAGE = (
    "Cache (Redis) unreachable (%s): throttling and rate limits use the database cache "
    "until it answers again"
)


class RedisUnavailable(Exception):
    """Redis does not answer at the moment: the caller does without it (FallbackCache's
    ordinary operations go to the database cache meanwhile)."""


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's Redis client with one `redis.Redis` per connection pool, not one per operation.

    Django builds a new `redis.Redis` for every cache operation, and redis-py's constructor
    fills its table of reply callbacks each time: about 0.15 ms of CPU per operation, more
    than the round trip to Redis itself (a sign-in makes a few dozen, for the rate limits).
    A `redis.Redis` is safe to share between threads: it takes a connection from its pool
    for each command.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own attributes (django-stubs does not list them).
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient


class FallbackCache(BaseDatabaseCache):
    """CACHES backend: LOCATION is the Redis URL; OPTIONS may give `REDIS` (options of the
    Redis client), `FALLBACK_TABLE` (default "django_cache") and `RETRY_SECONDS`. A database
    cache to Django, so that `manage.py createcachetable` creates its fallback's table."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        super().__init__(options.get("FALLBACK_TABLE", "django_cache"), params)
        shared: dict[str, Any] = {
            name: params[name]
            for name in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if name in params
        }
        redis_options = {**REDIS_DEFAULTS, **options.get("REDIS", {})}
        self.primary = ReusedClientRedisCache(location, {**shared, "OPTIONS": redis_options})
        self.fallback = DatabaseCache(self._table, shared)  # type: ignore[attr-defined]
        self._retry_seconds = options.get("RETRY_SECONDS", RETRY_REDIS_AFTER_SECONDS)
        self._down_until = 0.0
        self._was_down = False
        self._lock = threading.Lock()
        self._scripts: dict[tuple[int, str], Any] = {}

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._on_redis(getattr(self.primary, name), *args, **kwargs)
        except RedisUnavailable:
            return getattr(self.fallback, name)(*args, **kwargs)

    def _on_redis(self, operation: Any, *args: Any, **kwargs: Any) -> Any:
        """operation(*args, **kwargs), an operation on Redis; RedisUnavailable while Redis
        is down (noted once a minute, tried again after RETRY_SECONDS)."""
        if time.monotonic() >= self._down_until:
            try:
                result = operation(*args, **kwargs)
            except outage.CACHE_ERRORS as error:
                with self._lock:
                    self._down_until = time.monotonic() + self._retry_seconds
                    self._was_down = True
                outage.note("cache", DOWN_MESSAGE, type(error).__name__)
            else:
                if self._was_down:
                    self._was_down = False
                    outage.recovered("cache", "Cache (Redis) answers again")
                return result
        raise RedisUnavailable

    def run_script(self, script: str, keys: list[str], args: list[Any]) -> Any:
        """Run a Lua script on Redis, atomically, over these cache keys (made as this
        cache makes its own); RedisUnavailable while Redis is down: there is no database
        equivalent, the caller does the same work with the ordinary operations."""
        return self._on_redis(self._run_script, script, keys, args)

    def _run_script(self, script: str, keys: list[str], args: list[Any]) -> Any:
        client = self.primary._cache.get_client(write=True)  # type: ignore[attr-defined]
        registered = self._scripts.get((id(client), script))
        if registered is None:
            # EVALSHA, the script's text sent once per server (again after a restart).
            registered = self._scripts[id(client), script] = client.register_script(script)
        made = [self.primary.make_and_validate_key(key) for key in keys]
        return registered(keys=made, args=args)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> None:
        """Both: what the fallback held must not come back at the next outage."""
        self._call("clear")
        self.fallback.clear()

    def close(self, **kwargs: Any) -> None:
        self.primary.close(**kwargs)
        self.fallback.close(**kwargs)
