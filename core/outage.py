"""When a part the portal relies on is down: which errors mean an outage, and one log line.

An outage of the database, the cache or the file storage is not a bug of the portal: a
request that meets one answers a French 503 page (config/views.py), and the operator reads
one line per part and per process each minute (`note`), not a traceback per request
(`OutageLogFilter` drops those from Django's request log).
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("espace.outage")

DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]
    try:  # botocore is there with django-storages[s3]; a deployment without S3 may lack it
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover
        pass
    else:
        errors += [BotoCoreError, ClientError]
    return tuple(errors)


# A file that cannot be read or written: a local folder gone or refused, an S3 endpoint
# that refuses, times out or cannot be reached.
STORAGE_ERRORS = _storage_errors()

OUTAGE_ERRORS = DATABASE_ERRORS + CACHE_ERRORS

LOG_EVERY_SECONDS = 60

_last_logged: dict[str, float] = {}
_lock = threading.Lock()


def part_of(error: BaseException | None) -> str | None:
    """ "database" or "cache" when `error` (or what caused it) is an outage of that part."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DATABASE_ERRORS):
            return "database"
        if isinstance(error, CACHE_ERRORS):
            return "cache"
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def note(part: str, message: str, *args: object) -> None:
    """Log `message` as an error at most once a minute for `part`, in this process."""
    now = time.monotonic()
    with _lock:
        last = _last_logged.get(part)
        if last is not None and now - last < LOG_EVERY_SECONDS:
            return
        _last_logged[part] = now
    logger.error(message, *args)


def recovered(part: str, message: str, *args: object) -> None:
    """Log once that `part` answers again (after `note` said it did not)."""
    with _lock:
        if _last_logged.pop(part, None) is None:
            return
    logger.warning(message, *args)


class OutageLogFilter(logging.Filter):
    """On `django.request`: drops the per-request line of an outage (`note` said it): its
    traceback, and the 503 of every page and every health check meanwhile."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 503:
            return False
        error = record.exc_info[1] if record.exc_info else None
        return part_of(error) is None
