from pathlib import Path

import pytest

from tests.notifications.support import BREVO_API_KEY, FakeBrevo, free_port, smtp_server_on

TEMPLATES_FOR_TESTS = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def outbox_dir(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "outbox"
    return settings.OUTBOX_DIR


@pytest.fixture
def email_templates(settings):
    """Adds tests/notifications/templates, which holds emails/tests/welcome_*."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATES_FOR_TESTS]}]


@pytest.fixture
def database_tasks(settings, transactional_db):
    """Tasks as in production: rows of django-tasks-db, run by support.run_due_tasks().

    Committed for real: the worker closes connections that are inside a transaction.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_port(settings):
    """Django's SMTP backend pointed at 127.0.0.1 on a port where nothing listens yet."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def smtp_server(smtp_port):
    with smtp_server_on(smtp_port) as handler:
        yield handler


@pytest.fixture
def fake_brevo(settings):
    settings.SMS_BACKEND = "notifications.sms_backends.BrevoSmsBackend"
    settings.BREVO_API_KEY = BREVO_API_KEY
    with FakeBrevo().running() as server:
        settings.BREVO_API_URL = server.url
        yield server
