import pytest
from django.core.management import call_command

from core import outage
from tests.services import RedisServer


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    """A redis-server of the test's own as the cache (core.fallback_cache), the database
    cache's table ready for its outages."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.fallback_cache.FallbackCache",
            "LOCATION": server.url,
            # Redis is tried again after half a second (5 s in production): no test waits.
            "OPTIONS": {"RETRY_SECONDS": 0.5},
        }
    }
    call_command("createcachetable")
    monkeypatch.setattr(outage, "_last_logged", {})
    yield server
    server.stop()
