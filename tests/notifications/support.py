"""Local stand-ins for the outside world: an SMTP server, Brevo, the task worker."""

import json
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker

from tests.workers.support import BATCH

BREVO_API_KEY = "xkeysib-test-key"


def run_due_tasks() -> None:
    """What `manage.py db_worker --batch` does: run every task whose time has come."""
    Worker(**BATCH, worker_id="test-worker").run()


def logged_by_the_portal(caplog) -> str:
    """Log lines (with tracebacks) of the portal and its task runner, not of the test servers."""
    return "\n".join(
        caplog.handler.format(record)
        for record in caplog.records
        if record.name.startswith(("notifications", "django_tasks"))
    )


def free_port() -> int:
    """A port nobody listens on (until someone binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CollectingHandler:
    """An SMTP server's handler keeping every message it accepts."""

    def __init__(self, recipient_refusals=None):
        self.envelopes = []
        self.recipient_refusals = recipient_refusals or {}  # address: SMTP reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.recipient_refusals:
            return self.recipient_refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server_on(port: int, recipient_refusals=None):
    """A real SMTP server on 127.0.0.1:port, yielding its CollectingHandler."""
    handler = CollectingHandler(recipient_refusals)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


class FakeBrevo(ThreadingHTTPServer):
    """Brevo's transactional SMS endpoint as its API reference describes it.

    It refuses what Brevo refuses (path, API key, body) with Brevo's error shape, and
    otherwise answers `reply` (status, JSON body) after `delay` seconds.
    """

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), BrevoRequestHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests = []
        self.reply = (201, {"messageId": 1511882900176220})
        self.delay = 0.0

    @contextmanager
    def running(self):
        thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.shutdown()
            self.server_close()
            thread.join()


class BrevoRequestHandler(BaseHTTPRequestHandler):
    server: FakeBrevo

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
        )
        time.sleep(self.server.delay)
        self._answer(*self._brevo_answer(json.loads(body)))

    def _brevo_answer(self, payload: dict) -> tuple[int, dict]:
        if self.path != "/v3/transactionalSMS/send":
            return 404, {"code": "document_not_found", "message": "Not found"}
        if self.headers.get("api-key") != BREVO_API_KEY:
            return 401, {"code": "unauthorized", "message": "Key not found"}
        missing = sorted({"sender", "recipient", "content"} - payload.keys())
        if missing:
            return 400, {"code": "missing_parameter", "message": f"{missing} missing"}
        recipient = payload["recipient"].removeprefix("+")
        if not (recipient.isdigit() and 6 <= len(recipient) <= 15):
            return 400, {"code": "invalid_parameter", "message": "Invalid phone number"}
        if payload.get("type", "transactional") not in {"transactional", "marketing"}:
            return 400, {"code": "invalid_parameter", "message": "type is not valid"}
        return self.server.reply

    def _answer(self, status: int, payload: dict):
        content = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting (the timeout test)

    def log_message(self, format, *args):
        pass  # keep the test output quiet
