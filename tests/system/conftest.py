"""The portal as it is deployed on several machines, on loopback (issue 16's scale-out).

A PostgreSQL cluster and a redis-server of their own, two gunicorn processes behind
haproxy (round robin, health-checked on /sante/, maxconn 1: each has one worker), two task
workers (`manage.py worker`), one shared media folder, an SMTP server and a Brevo imitation
in this process. Production
settings (DEBUG and DEMO off, collected static files); the sandbox stands for Lyra.
Started once for the module's tests (marked `system`, run once, in `make test`).
"""

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64encode
from pathlib import Path

import altcha
import pytest
import requests
from aiosmtpd.controller import Controller

from tests.notifications.support import BREVO_API_KEY, FakeBrevo
from tests.services import PostgresCluster, RedisServer, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# What haproxy answers when no web process passes its health check (deploy/haproxy/).
LOAD_BALANCER_503 = ROOT / "deploy" / "haproxy" / "503-fr.http"
HOST = "auvergne.localhost"
EMAIL = "jean@exemple.com"
PASSWORD = "Loyer-Payé-2026"

SETUP = f"""
from demo.loading import load_demo_landlords
from tenancies.models import Signatory
from tests.factories import AccessFactory

load_demo_landlords()
signatory = Signatory.objects.filter(
    lease__account__landlord__slug="auvergne", lease__account__number="0212345678901"
).order_by("position")[0]
AccessFactory(user__email="{EMAIL}", user__password="{PASSWORD}", signatory=signatory)
"""


class HoldingSmtp:
    """An SMTP server's handler; with `hold` set, the next message waits at DATA until
    `release` (its sender is then in the middle of its task)."""

    def __init__(self):
        self.messages = []
        self.hold = False
        self.holding = threading.Event()
        self.released = threading.Event()

    def hold_next(self) -> None:
        self.holding.clear()
        self.released.clear()
        self.hold = True

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.hold:
            self.hold = False
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 30)
            return "451 Try again later"  # its sender is gone: the message was never accepted
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.var = folder / "var"  # shared by every process: media, static files
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg = PostgresCluster()
        self.redis = RedisServer(folder)
        self.smtp = HoldingSmtp()
        self.smtp_port = free_port()
        self.brevo = FakeBrevo()
        self.web_ports = [free_port(), free_port()]
        self.lb_port = free_port()

    @property
    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/root"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "a-scale-out-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": self.redis.url,
            "ALLOWED_HOSTS": "localhost,.localhost,127.0.0.1",
            "PLATFORM_HOSTS": "localhost",
            "HTTPS": "false",
            "PAYMENT_SANDBOX": "true",
            "PAYMENT_TEST_MODE": "true",
            "VAR_DIR": str(self.var),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "BREVO_API_URL": self.brevo.url,
            "BREVO_API_KEY": BREVO_API_KEY,
            "TRUSTED_PROXY_COUNT": "1",
            "WORKER_HEARTBEAT_SECONDS": "1",
            "WORKER_STALE_SECONDS": "4",
            "LOG_LEVEL": "WARNING",
        }

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """A management command on one of the stack's machines, whatever its exit status."""
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = self.run(*args, timeout=timeout)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def sql(self, query: str) -> str:
        result = subprocess.run(
            ["psql", self.pg.url, "-Atc", query], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        self.processes[name] = process
        return process

    def start_web(self, number: int) -> None:
        port = self.web_ports[number - 1]
        self.spawn(
            f"web{number}",
            [GUNICORN, "config.wsgi", "--preload", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        )

    def start_worker(self, name: str) -> subprocess.Popen:
        return self.spawn(name, [PYTHON, "manage.py", "worker", "--interval", "0.2"])

    def start_haproxy(self) -> None:
        """deploy/haproxy/haproxy.cfg on loopback, without TLS, with quicker health checks.
        `maxconn 1`, each process's worker count: a request waits in haproxy for a free
        worker (the sandbox's notification, posted from inside the card's request, goes to
        the other process) rather than in a busy process's backlog (bench/burst.py)."""
        config = self.folder / "haproxy.cfg"
        servers = "\n".join(
            f"  server web{n} 127.0.0.1:{port} check inter 500ms fall 2 rise 1 maxconn 1"
            for n, port in enumerate(self.web_ports, 1)
        )
        config.write_text(
            "global\n  maxconn 256\n"
            "defaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n"
            "  timeout server 60s\n  timeout queue 30s\n"
            "  option forwardfor\n  option http-server-close\n"
            f"  errorfile 503 {LOAD_BALANCER_503}\n"
            f"frontend portal\n  bind 127.0.0.1:{self.lb_port}\n  default_backend web\n"
            "backend web\n  balance roundrobin\n  option httpchk GET /sante/\n"
            "  http-check expect status 200\n  http-response set-header X-Web %s\n"
            f"{servers}\n"
        )
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.spawn("haproxy", [haproxy, "-db", "-f", str(config)])

    def start(self) -> None:
        self.redis.start()
        self.pg.create()
        self.brevo_context = self.brevo.running()
        self.brevo_context.__enter__()
        self.smtp_controller = Controller(self.smtp, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp_controller.start()
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=self.env
        )
        self.manage("migrate", "-v", "0")
        self.manage("createcachetable")
        self.shell(SETUP)
        assert static.wait(300) == 0
        self.start_web(1)
        self.start_web(2)
        self.start_worker("worker1")
        self.start_worker("worker2")
        self.start_haproxy()
        for port in self.web_ports:
            self.wait_healthy(port)
        wait_for_port(self.lb_port)
        self.wait_for(self.balanced)
        self.wait_for(lambda: self.sql("SELECT count(*) FROM workers_heartbeat") == "2")

    def balanced(self) -> bool:
        """haproxy's checks found both web processes up: it sends requests to each."""
        served = set()
        for _ in range(4):
            try:
                answer = requests.get(f"http://127.0.0.1:{self.lb_port}/sante/", timeout=2)
            except requests.RequestException:
                return False
            if answer.status_code != 200:
                return False
            served.add(answer.headers.get("X-Web"))
        return served == {"web1", "web2"}

    def wait_healthy(self, port: int, timeout: float = 90) -> None:
        def healthy():
            try:
                return requests.get(f"http://127.0.0.1:{port}/sante/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        self.wait_for(healthy, timeout)

    def wait_for(self, condition, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        logs = "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in self.folder.glob("*.log")
        )
        raise AssertionError(f"timed out waiting for {condition}\n{logs}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.smtp_controller.stop()
        self.brevo_context.__exit__(None, None, None)
        self.redis.stop()
        self.pg.destroy()


@pytest.fixture(scope="module")
def stack():
    folder = Path(tempfile.mkdtemp(prefix="espace-scale-out-"))
    running = Stack(folder)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- a browser, in Python ---------------------------------------------------------------


class Visitor:
    """A tenant's browser through the load balancer; `served_by` lists the web process of
    each answer (haproxy's X-Web header)."""

    def __init__(self, stack: Stack, host: str = HOST):
        self.base = f"http://127.0.0.1:{stack.lb_port}"
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["Host"] = f"{host}:{stack.lb_port}"
        self.served_by: list[str] = []

    def _note(self, response: requests.Response) -> requests.Response:
        self.served_by.append(response.headers.get("X-Web", "?"))
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._note(
            self.session.get(self.base + path, allow_redirects=False, timeout=60, **kwargs)
        )

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        headers = {"Referer": self.base + path}
        return self._note(
            self.session.post(
                self.base + path, data=data, headers=headers, allow_redirects=False, timeout=60
            )
        )

    def form(self, path: str, data: dict) -> requests.Response:
        """GET the page, then POST its form with its CSRF token (and ALTCHA solved)."""
        page = self.get(path)
        assert page.status_code == 200, page.status_code
        fields = {"csrfmiddlewaretoken": csrf_token(page.text), **data}
        challenge = altcha_challenge(page.text)
        if challenge:
            fields["captcha"] = solve(challenge)
        return self.post(path, fields)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def altcha_challenge(page: str) -> dict | None:
    found = re.search(r'challengejson="([^"]+)"', page)
    return json.loads(html.unescape(found[1])) if found else None


def solve(challenge: dict) -> str:
    """The proof of work the ALTCHA widget computes in the browser."""
    maximum = challenge.get("maxnumber") or challenge.get("max_number") or 1_000_000
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], maximum, 0
    )
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return b64encode(json.dumps(payload).encode()).decode()


def text(response: requests.Response) -> str:
    return html.unescape(response.text)
