import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Loaded by the first request that needs them, not by every web worker at start: Typst
# (a PDF), Pillow (an icon drawn, an image uploaded), tqdm (an import's progress bar).
LOADED_ON_FIRST_USE = ["typst", "PIL", "tqdm"]
# What gunicorn's master has once it loaded the application, before it forks (--preload).
MASTER = f"""
import gc, sys, threading
import config.wsgi
from django.db import connections
assert callable(config.wsgi.application)
print(" ".join(name for name in {LOADED_ON_FIRST_USE!r} if name in sys.modules))
urls = ("config.urls", "config.urls_platform", "backoffice.urls")
print(all(name in sys.modules for name in urls))
print(threading.active_count(), sum(c.connection is not None for c in connections.all()))
print(gc.get_freeze_count())
from django.conf import settings
from django.template import engines
from django.utils.translation import trans_real
print("django" in engines._engines, settings.LANGUAGE_CODE in trans_real._translations,
      "argon2" in sys.modules)
"""


def production(script: str) -> list[str]:
    """What `script` prints, run by a fresh interpreter with production settings (the test
    suite's own process has imported everything)."""
    bare = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **bare,
            "SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789-abcdefghijklmnop",
            "ALLOWED_HOSTS": "locataires.exemple.fr",
            "DATABASE_URL": "sqlite:///:memory:",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # never reached: nothing connects
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def master() -> list[str]:
    return production(MASTER)


def test_the_master_loads_no_library_that_only_some_requests_use(master):
    assert master[0] == ""


def test_the_master_loads_the_url_configurations_and_freezes_what_it_made(master):
    urls_loaded, threads_and_connections, frozen = master[1:4]

    assert urls_loaded == "True"
    assert threads_and_connections == "1 0"  # nothing a forked worker could not use
    assert int(frozen) > 10_000  # kept out of the garbage collector's full passes


def test_the_master_builds_what_every_page_uses_before_the_fork(master):
    # The template engine, the French catalogs, Argon2's bindings: shared with the workers.
    assert master[4] == "True True True"
