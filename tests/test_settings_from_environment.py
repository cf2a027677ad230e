import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-that-is-long-enough-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "locataires.exemple.fr",
    "DATABASE_URL": "sqlite:///:memory:",
    "SECURE_HSTS_PRELOAD": "true",
}


def manage(*args, **env):
    # Only what a bare production machine would have: none of the test suite's defaults.
    bare = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**bare, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_outside_demo_and_debug():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_typo_in_a_boolean_stops_the_start():
    result = manage("check", **{**PRODUCTION, "HTTPS": "ture"})

    assert result.returncode != 0
    assert "HTTPS must be true or false, not 'ture'" in result.stderr


def test_a_boolean_can_be_read_from_a_file(monkeypatch, tmp_path):
    flag = tmp_path / "flag"
    flag.write_text("false\n")
    monkeypatch.setenv("DEMO_FILE", str(flag))

    assert env_bool("DEMO", True) is False


def test_a_number_that_is_not_a_number_stops_the_start(monkeypatch):
    monkeypatch.setenv("CONN_MAX_AGE", "10m")

    with pytest.raises(ImproperlyConfigured, match="CONN_MAX_AGE must be a whole number"):
        env_int("CONN_MAX_AGE", 600)


def test_secret_can_be_read_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret_file)}

    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)

    assert result.returncode == 0, result.stderr
