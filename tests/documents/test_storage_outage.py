"""Document storage down: the local folder gone, an S3 endpoint that refuses (issue 18, item 3).

Tests run as root in CI, whom file modes do not stop: the folder is taken away and a file
put in its place (a disk unmounted), so every read and write really fails.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.config import Config
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from documents import generation
from documents.models import RentNotice
from tests.accounts.conftest import text_of
from tests.documents.conftest import NOVEMBER, OCTOBER, download, monthly, payment
from tests.workers.support import batch_worker
from workers.runner import HeartbeatWorker

UNAVAILABLE = "Ce document est momentanément indisponible"


class Storage:
    """The media folder, taken away and given back."""

    def __init__(self, root):
        self.root = root
        self.away = root.with_name("media-away")

    def break_it(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.rename(self.away)
        self.root.write_text("not a folder any more")

    def repair(self):
        self.root.unlink()
        self.away.rename(self.root)

    def files(self):
        return sorted(path for path in self.root.rglob("*.pdf"))


@pytest.fixture
def storage(settings):
    return Storage(settings.MEDIA_ROOT)


def test_the_list_shows_and_a_download_says_unavailable_until_the_folder_is_back(
    account, tenant_client, storage
):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)
    base = f"/mon-compte/compte/{account.pk}/documents"
    stored = download(tenant_client, f"{base}/avis/2026-10.pdf")

    storage.break_it()
    listing = tenant_client.get(f"{base}/")
    replies = [
        tenant_client.get(f"{base}/{path}") for path in ("avis/2026-10.pdf", "avis/2026-11.pdf")
    ]

    assert listing.status_code == 200 and "Avis d'échéance" in text_of(listing)
    for reply in replies:
        assert reply.status_code == 503
        assert UNAVAILABLE in text_of(reply) and "Retour à Mes documents" in text_of(reply)
    # Nothing half-written: the notice not rendered yet has no row pointing to nothing.
    assert not RentNotice.objects.filter(period=NOVEMBER).exclude(pdf="").exists()

    storage.repair()
    assert download(tenant_client, f"{base}/avis/2026-10.pdf") == stored
    assert download(tenant_client, f"{base}/avis/2026-11.pdf").startswith(b"%PDF")


# The worker runs as it does in its own process: outside the test's transaction (it closes and
# reopens its connection, which would end that transaction on PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_notice_generation_pauses_while_the_storage_refuses_and_resumes_without_gaps_or_twins(
    make_account, storage, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for number in range(1, 8):
        monthly(make_account(f"{number:06d}"), NOVEMBER, rent=40000 + number)
    saved = FileSystemStorage._save
    calls = []

    def storage_fails_after_three(self, name, content):
        calls.append(name)
        if len(calls) == 4:
            storage.break_it()
        return saved(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", storage_fails_after_three)
    monkeypatch.setattr(HeartbeatWorker, "_beat_forever", lambda self: None)
    worker = batch_worker("w1")
    call_command("generate_notices", "--period", "2026-11")
    worker.run()

    assert generation.status(NOVEMBER) == (3, 7)
    assert (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    )  # waiting for its time, one minute later
    assert not DBTaskResult.objects.failed().exists()

    storage.repair()
    with freeze_time("2026-11-20 09:02:00"):
        worker.run()

    assert generation.status(NOVEMBER) == (7, 7)
    assert RentNotice.objects.filter(period=NOVEMBER).count() == 7
    # Every stored file belongs to one notice: none twice, none orphaned.
    names = set(RentNotice.objects.values_list("pdf", flat=True))
    assert len(names) == 7
    assert {str(path.relative_to(storage.root)) for path in storage.files()} == names


class Refusing(BaseHTTPRequestHandler):
    """An S3-compatible endpoint that is down: 503 to every request."""

    def _refuse(self):
        body = b"<Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>"
        self.send_response(503)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _refuse

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_s3(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "documents",
                "endpoint_url": f"http://127.0.0.1:{server.server_port}",
                "region_name": "fr-par",
                "access_key": "test",
                "secret_key": "test",
                "client_config": Config(retries={"max_attempts": 1, "mode": "standard"}),
            },
        },
    }
    yield
    server.shutdown()
    server.server_close()


def test_an_s3_endpoint_that_refuses_gives_the_same_french_page(
    account, tenant_client, refusing_s3
):
    monthly(account, NOVEMBER)
    base = f"/mon-compte/compte/{account.pk}/documents"

    listing = tenant_client.get(f"{base}/")
    reply = tenant_client.get(f"{base}/avis/2026-11.pdf")

    assert listing.status_code == 200
    assert reply.status_code == 503 and UNAVAILABLE in text_of(reply)
    assert not RentNotice.objects.exclude(pdf="").exists()
