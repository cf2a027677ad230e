"""Benchmark of the pages and sign-ins of the first of the month, beside a bare Django project.

Run with `make bench` (a throwaway database; `python -m bench` runs every benchmark) or
alone with `scripts/with-throwaway-postgresql .venv/bin/python -m bench.web`. On PostgreSQL,
with production settings (DEBUG off, a SECRET_KEY, Redis for the cache at BENCH_REDIS_URL,
default redis://127.0.0.1:6379/11, a database the benchmark empties first: it would otherwise
hold the landlords of another run's database), the portal runs under gunicorn with 2 workers,
driven by `wrk` (Debian package `wrk`) with 2 threads and 8 connections:

- signed-in Mon compte with one session and with 32 (32 tenants), the ledger history and
  the documents list, each against a bare Django project written in a temporary folder (one
  view doing 3 ORM queries, the same gunicorn settings, the same database), measured first
  and again last (the better of the two counts): req/s at least 50 % of the baseline's, p99 at
  most twice its p99;
- sign-ins, wrk posting the sign-in form (each opens a new session; N tenants in turn, then
  one tenant who already has many sessions open, signed in through the page first), against raw
  Argon2id verifications at the configured parameters in 2 processes, before and after (the
  better of the two): at least 80 %;
- a web worker's start to its first page (under 2 s) and its memory (at most twice a bare
  Django worker's), after the pages and sign-ins above: the proportional set size (PSS) of
  the gunicorn master and its workers, summed and divided by the workers, for both servers
  alike. PSS splits each page shared by several processes between them (shared libraries,
  fonts, the master's pages a worker has not written since the fork), so the sum is what
  the server takes from the machine; the workers' resident size (RSS) is printed beside it,
  without a goal: it counts those shared pages in full in every worker;
- a notice's first download (its PDF not yet rendered) from a worker just started, its
  first request (under 300 ms; bench/notices.py times later downloads in its own process).

Beside each page's req/s, the CPU a request costs the server (its workers and the
PostgreSQL backends of the database, from /proc; the shared Redis is left out), without a
goal: on a machine shared with other work req/s and p99 move with the load, the CPU per
request much less, so it tells what a change did when the ratios cannot (PostgreSQL on
this machine: a remote server's backends are not in this /proc).

The data: the demo landlords, plus generated tenants of Aubervilliers (the demo account's
ledger copied to each), signed in through the form as a browser would.
"""

import concurrent.futures
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import django
import redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ["DEBUG"] = "false"

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"  # noqa: S105 (the generated tenants' password)
WORKERS = 2
WRK_THREADS, WRK_CONNECTIONS = 2, 8
CROWD = 32
# The sign-in posts' CSRF token: Django accepts its unmasked secret, the same in the cookie.
CSRF_SECRET = "benchbenchbenchbenchbenchbench12"  # noqa: S105 (no secret: a benchmark's token)
CSRF_COOKIE = f"csrftoken={CSRF_SECRET}"
GOAL_PAGES = 0.5
GOAL_P99 = 2.0
GOAL_SIGN_INS = 0.8
GOAL_START_SECONDS = 2.0
GOAL_MEMORY = 2.0
GOAL_FIRST_DOWNLOAD_MS = 300

BARE_SETTINGS = """
import dj_database_url, os
SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bare_urls"
INSTALLED_APPS = [
    "django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
    "django.contrib.messages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [],
              "APP_DIRS": False, "OPTIONS": {}}]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)}
USE_TZ = True
"""

BARE_URLS = """
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.template import engines
from django.urls import path

PAGE = engines["django"].from_string(
    "<!doctype html><title>Mesure</title><h1>{{ groups }} groupes</h1><ul>"
    "{% for kind in kinds %}<li>{{ kind.app_label }} {{ kind.model }}</li>{% endfor %}"
    "{% for permission in permissions %}<li>{{ permission.name }}</li>{% endfor %}</ul>"
)


def page(request):
    kinds = list(ContentType.objects.order_by("id")[:20])
    permissions = list(Permission.objects.order_by("id")[:20])
    return HttpResponse(
        PAGE.render({"kinds": kinds, "permissions": permissions, "groups": Group.objects.count()})
    )


urlpatterns = [path("", page)]
"""

# Loaded as the portal's config/wsgi.py is (gunicorn --preload): the URL configuration
# too, then what was made kept out of the garbage collector's passes, before the fork.
BARE_WSGI = """
import gc, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bare_settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
from django.urls import get_resolver
get_resolver().url_patterns
gc.collect()
gc.freeze()
"""

# Requests spread over the connections, each from its own client address (allauth's rate
# limits are per address); every answer but the expected status counted as an error (a
# redirect to the sign-in page would otherwise pass for a fast page).
WRK_SCRIPT = """
local cookies = {%(cookies)s}
local bodies = {%(bodies)s}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args) bad = 0; counter = 0 end
function request()
  counter = counter + 1
  local headers = {["Host"] = "%(host)s", ["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d",
    id, math.floor(counter / 250) %% 250, counter %% 250)}
  local body = nil
  if #cookies > 0 then headers["Cookie"] = cookies[(counter %% #cookies) + 1] end
  if #bodies > 0 then
    body = bodies[(counter %% #bodies) + 1]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format("%(method)s", "%(path)s", headers, body)
end
function response(status, headers, body) if status ~= %(status)d then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("BENCH %%d %%d %%f %%f\\n", summary.requests, total,
    summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(process: int | str) -> float:
    """User and system CPU seconds of a process so far (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_backends() -> list[int]:
    """The PostgreSQL backends connected to the benchmark's database, but this one."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


class Process:
    """A program of the benchmark's, in its own process group, its output kept for the error
    that says why it did not answer; stopped if it never does. A subclass sets `port` (the
    probe's) before this starts the command."""

    port: int

    def __init__(
        self,
        name: str,
        command: list,
        probe: tuple[str, str],
        env: dict | None = None,
        timeout: float = 120,
    ):
        self.name = name
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 (our own programs, our arguments)
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        host, path = probe
        try:
            self.start_seconds = self.wait_for(host, path, started, timeout)
        except BaseException:
            self.stop()  # not left running by a benchmark that fails
            raise

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, host: str, path: str, started: float, timeout: float) -> float:
        import requests

        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.url(path), headers={"Host": host}, timeout=5).ok:
                    return time.perf_counter() - started
            except requests.RequestException:  # not listening yet, or a first page that
                pass  # takes longer than the probe's timeout on a loaded machine
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer: {self.log_tail()}")

    def log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:].decode(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()


class Server(Process):
    """gunicorn with `workers` sync workers, the application loaded once by the master
    before it forks them (`--preload`), as the README deploys the portal."""

    def __init__(
        self,
        name: str,
        app: str,
        env: dict,
        chdir: Path,
        probe: tuple[str, str],
        workers: int = WORKERS,
    ):
        self.port, self.env = free_port(), env
        command = [GUNICORN, app, "--preload", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        super().__init__(name, [*command, "--chdir", str(chdir)], probe, env)

    def workers(self) -> list[str]:
        pid = self.process.pid
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()

    def cpu_seconds(self) -> dict[int | str, float]:
        """CPU seconds so far of each of this server's workers and of each backend of the
        database (only one server is loaded at a time: the other's backends stay idle)."""
        return {process: cpu_seconds(process) for process in self.workers() + database_backends()}

    def memory_mb(self) -> tuple[float, float]:
        """(PSS, RSS) per worker, in MB. PSS: the proportional set size of the master and of
        each worker (/proc/PID/smaps_rollup: a page shared by n processes counts 1/n in
        each) summed, then divided by the workers: what the server takes from the machine
        for each worker, the master's share included. RSS: the workers' mean resident size,
        which counts in full every page a worker maps, the shared libraries' and fonts'
        too, though the machine holds them once."""
        pid, workers = self.process.pid, self.workers()

        def size(process: int | str, field: str) -> float:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
            return int(re.search(rf"^{field}:\s+(\d+) kB", rollup, re.MULTILINE).group(1)) / 1024

        pss = sum(size(process, "Pss") for process in [pid, *workers]) / len(workers)
        return pss, statistics.mean(size(worker, "Rss") for worker in workers)


def wrk(
    server: Server,
    host: str,
    path: str,
    seconds: int,
    folder: Path,
    *,
    cookies: tuple[str, ...] = (),
    bodies: tuple[str, ...] = (),
    status: int = 200,
) -> tuple[float, float, float]:
    """(req/s, p99 in ms, server CPU ms per request) of path on server (GET, or POST of
    `bodies`), after a warm-up."""
    script = folder / "wrk.lua"

    def lua(strings) -> str:
        return ", ".join(f'"{string}"' for string in strings)

    script.write_text(
        WRK_SCRIPT
        % {
            "cookies": lua(cookies),
            "bodies": lua(bodies),
            "host": host,
            "path": path,
            "method": "POST" if bodies else "GET",
            "status": status,
        }
    )
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(WRK_CONNECTIONS), "-s", str(script)]
    warm_up = [*command, "-d", "1s", server.url()]
    subprocess.run(warm_up, check=True, capture_output=True)  # noqa: S603 (wrk, our arguments)
    cpu_before = server.cpu_seconds()
    output = subprocess.run(  # noqa: S603 (wrk, our arguments)
        [*command, "-d", f"{seconds}s", "--timeout", "10s", server.url()],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"^BENCH (\d+) (\d+) ([\d.]+) ([\d.]+)$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk printed no figures: {output}")
    requests_done, bad, rate, p99 = found.groups()
    if int(bad):
        raise RuntimeError(f"{path}: {bad} of {requests_done} answers were not {status}")
    # A backend that connected during the run counts from its start.
    cpu = sum(
        seconds - cpu_before.get(process, 0.0)
        for process, seconds in server.cpu_seconds().items()
    )  # fmt: skip
    return float(rate), float(p99), 1000 * cpu / int(requests_done)


def sign_in_bodies(logins: list[str]) -> tuple[str, ...]:
    """The sign-in form's posts, with a CSRF token that matches CSRF_COOKIE."""
    from urllib.parse import urlencode

    return tuple(
        urlencode({"csrfmiddlewaretoken": CSRF_SECRET, "login": login, "password": PASSWORD})
        for login in logins
    )


def sign_in(server: Server, login: str, client_ip: str, browser=None, host: str = HOST) -> str:
    """Sign in through the form as a browser does (the page, then the post); the cookie.
    `browser`: a requests.Session that keeps the cookies (else one of its own)."""
    import requests

    # Each sign-in comes from its own address, as tenants at home do (allauth's rate limits).
    headers = {"Host": host, "X-Forwarded-For": client_ip}
    with nullcontext(browser) if browser is not None else requests.Session() as browser:
        page = browser.get(server.url("/compte/login/"), headers=headers, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = browser.post(
            server.url("/compte/login/"),
            data={"csrfmiddlewaretoken": token, "login": login, "password": PASSWORD},
            headers={**headers, "Referer": f"http://{host}/compte/login/"},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302 or answer.headers["Location"] != "/mon-compte/":
            said = re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", answer.text.split("error-summary")[-1])
            raise RuntimeError(
                f"sign-in of {login}: {answer.status_code} {said[:3]} {server.log_tail()}"
            )
        return f"sessionid={browser.cookies['sessionid']}"


def sign_ins(server: Server, logins: list[str], first_ip: int = 0) -> tuple[list[str], float]:
    """Sign each login in, 4 at a time; (the cookies, sign-ins per second)."""
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        cookies = list(
            pool.map(
                lambda item: sign_in(
                    server,
                    item[1],
                    f"10.{(first_ip + item[0]) // 250 % 250}.{(first_ip + item[0]) % 250}.7",
                ),
                enumerate(logins),
            )
        )
    return cookies, len(logins) / (time.perf_counter() - started)


def verifications(encoded: str, seconds: float) -> int:
    from django.contrib.auth.hashers import check_password

    done, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if not check_password(PASSWORD, encoded):
            raise RuntimeError("the hash does not verify")
        done += 1
    return done


def raw_verifications_per_second(seconds: float) -> float:
    """Argon2id checks of one password at the configured parameters, in 2 processes."""
    from django.contrib.auth.hashers import make_password

    encoded = make_password(PASSWORD)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        counts = pool.starmap(verifications, [(encoded, seconds)] * 2)
    return sum(counts) / seconds


def first_download_ms(portal: Server, cookie: str, account) -> float:
    """Milliseconds of a notice's first download (its PDF not yet rendered: the newest one
    Mes documents offers) from a portal started now with one worker, its first request after
    the start's probe: the worker imports Typst and creates its compiler then (core/pdf.py)."""
    import datetime

    import requests

    from documents.models import RentNotice

    headers = {"Host": HOST, "Cookie": cookie}
    documents = requests.get(
        portal.url(f"/mon-compte/compte/{account.pk}/documents/"), headers=headers, timeout=30
    )
    path = re.search(r'href="([^"]+/avis/(\d{4})-(\d{2})\.pdf)"', documents.text)
    period = datetime.date(int(path.group(2)), int(path.group(3)), 1)
    RentNotice.objects.filter(account=account, period=period).update(pdf="")  # if rendered
    fresh = Server("fresh portal", "config.wsgi", portal.env, ROOT, (HOST, "/compte/login/"), 1)
    try:
        started = time.perf_counter()
        answer = requests.get(fresh.url(path.group(1)), headers=headers, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200 or not answer.content.startswith(b"%PDF-"):
            raise RuntimeError(f"{path.group(1)}: {answer.status_code} {fresh.log_tail()}")
        return elapsed
    finally:
        fresh.stop()


def redraw_missing_logos() -> None:
    """The demo landlords' logos, in this media folder: landlords loaded by another benchmark
    of the same database have theirs in its folder, gone since (the notices print them)."""
    import json

    from django.core.files.base import ContentFile

    from demo.loading import DATA, logo_svg
    from landlords.models import Landlord

    for config in json.loads((DATA / "landlords.json").read_text()):
        landlord = Landlord.objects.get(slug=config["slug"])
        if not landlord.logo or not landlord.logo.storage.exists(landlord.logo.name):
            drawn = logo_svg(config["initials"], landlord.brand_color)
            landlord.logo.save(f"{landlord.slug}.svg", ContentFile(drawn))


def prepare(tenants: int, first: int = 0) -> tuple[object, list[str]]:
    """The demo landlords and `tenants` generated tenants of Aubervilliers, each with the demo
    account's ledger; (the demo account, the generated logins). Numbered from `first`: another
    benchmark's tenants, in the same database, keep theirs."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from accounts.models import User
    from billing.models import LedgerEntry
    from demo.loading import load_demo_landlords
    from landlords.models import Landlord
    from tenancies.models import Signatory
    from tests.factories import AccessFactory, SignatoryFactory

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_demo_landlords()
    redraw_missing_logos()
    landlord = Landlord.objects.get(slug="aubervilliers")
    jean = Signatory.objects.filter(
        lease__account__landlord=landlord, lease__account__number="123456"
    ).order_by("position")[0]
    if not User.objects.filter(email="jean@exemple.com").exists():  # another benchmark's
        AccessFactory(user__email="jean@exemple.com", user__password=PASSWORD, signatory=jean)
    account = jean.lease.account
    copied = [field.attname for field in LedgerEntry._meta.concrete_fields]
    copied_fields = [name for name in copied if name not in ("id", "account_id")]
    ledger = list(account.ledger_entries.values(*copied_fields))
    logins = []
    for n in range(first, first + tenants):
        signatory = SignatoryFactory(
            lease__account__landlord=landlord, lease__account__number=f"9{n:05d}"
        )
        LedgerEntry.objects.bulk_create(
            LedgerEntry(**{**values, "account": signatory.lease.account}) for values in ledger
        )
        login = f"locataire{n}@mesure.fr"
        AccessFactory(user__email=login, user__password=None, signatory=signatory)
        logins.append(login)
    # One Argon2 hash for all (about 80 ms each on a loaded machine): the same check to sign in.
    User.objects.filter(email__in=logins).update(password=make_password(PASSWORD))
    return account, logins


@contextmanager
def servers(folder: Path, database_url: str, bare: bool = True):
    """The bare project (unless `bare` is false) and the portal, both on gunicorn, until the
    block ends; each Server's `env` starts more of the same."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO")}
    base.update(DATABASE_URL=database_url, DEBUG="false", PYTHONDONTWRITEBYTECODE="1")
    bare_folder = folder / "bare"
    bare_folder.mkdir()
    for name, text in {
        "bare_settings": BARE_SETTINGS,
        "bare_urls": BARE_URLS,
        "bare_wsgi": BARE_WSGI,
    }.items():
        (bare_folder / f"{name}.py").write_text(textwrap.dedent(text))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
    redis.Redis.from_url(redis_url).flushdb()
    portal_env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(folder / "var"),
        "ALLOWED_HOSTS": ".localhost",
        "HTTPS": "false",
        "REDIS_URL": redis_url,
        "TRUSTED_PROXY_COUNT": "1",
        "PAYMENT_SANDBOX": "true",
        "PAYMENT_TEST_MODE": "true",  # the sandbox speaks Lyra's TEST mode only
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=portal_env,
        check=True,
    )
    started = []
    try:
        if bare:
            started.append(Server("bare", "bare_wsgi", base, bare_folder, ("localhost", "/")))
        started.append(Server("portal", "config.wsgi", portal_env, ROOT, (HOST, "/compte/login/")))
        yield started
    finally:
        for server in started:
            server.stop()


def page_rows(
    name: str, baseline: tuple[float, float, float], measured: tuple[float, float, float]
):
    return [
        {
            "measure": f"{name}: req/s",
            "baseline": "bare Django, 3 queries",
            "baseline_value": baseline[0],
            "value": measured[0],
            "unit": "req/s",
            "goal": f">= {GOAL_PAGES:.0%}",
            "met": measured[0] >= GOAL_PAGES * baseline[0],
        },
        {
            "measure": f"{name}: p99",
            "baseline": "bare Django, 3 queries",
            "baseline_value": baseline[1],
            "value": measured[1],
            "unit": "ms",
            "goal": f"<= {GOAL_P99:.0%}",
            "met": measured[1] <= GOAL_P99 * baseline[1],
        },
        {
            "measure": f"{name}: server CPU a request",
            "baseline": "bare Django, 3 queries",
            "baseline_value": baseline[2],
            "value": measured[2],
            "unit": "ms",
            "goal": None,
            "met": None,
        },
    ]


def run(quick: bool) -> list[dict]:
    """Every measure of the module docstring; one row each (see bench/__main__.py)."""
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings

    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: apt-get install wrk (scripts/ensure-system-packages)")
    seconds = 5 if quick else 20
    tenants = 50 if quick else 200
    crowd_sessions = 30 if quick else 100
    database_url = os.environ["DATABASE_URL"]
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with override_settings(MEDIA_ROOT=folder / "var" / "media"):
            account, logins = prepare(tenants)
        connection.close()  # the servers' workers and the forked verifiers use their own
        print(
            f"{len(logins)} generated tenants, {account.ledger_entries.count()} ledger lines each"
        )
        pages = {
            "Mon compte, 1 session": ("/mon-compte/", 1),
            f"Mon compte, {CROWD} sessions": ("/mon-compte/", CROWD),
            "ledger history": (f"/mon-compte/compte/{account.pk}/situation/", 1),
            "documents list": (f"/mon-compte/compte/{account.pk}/documents/", 1),
        }
        with servers(folder, database_url) as (bare, portal):
            jean = sign_in(portal, "jean@exemple.com", "10.250.0.1")
            crowd, _ = sign_ins(portal, logins[:CROWD], first_ip=10_000)
            first = wrk(bare, "localhost", "/", seconds, folder)
            print(
                f"bare Django (first): {first[0]:.0f} req/s, p99 {first[1]:.0f} ms,"
                f" {first[2]:.2f} ms of CPU a request",
                flush=True,
            )
            measured = {}
            for title, (path, sessions) in pages.items():
                cookies = [jean] if sessions == 1 else crowd
                measured[title] = wrk(portal, HOST, path, seconds, folder, cookies=tuple(cookies))
                print(
                    f"{title}: {measured[title][0]:.0f} req/s, p99 {measured[title][1]:.0f} ms,"
                    f" {measured[title][2]:.2f} ms of CPU a request",
                    flush=True,
                )

            raw_first = raw_verifications_per_second(seconds)

            # The form's post (the page itself is one more GET): a new session each time.
            def posts(logins: list[str]) -> float:
                bodies = sign_in_bodies(logins)
                return wrk(
                    portal, HOST, "/compte/login/", seconds, folder,
                    cookies=(CSRF_COOKIE,), bodies=bodies, status=302,
                )[0]  # fmt: skip

            form_rate = posts(logins)
            # One tenant who left many sessions open (other devices, never signed out).
            busy = logins[-1]
            sign_ins(portal, [busy] * crowd_sessions, first_ip=30_000)
            busy_rate = posts([busy])
            raw_last = raw_verifications_per_second(seconds)
            raw = max(raw_first, raw_last)
            print(
                f"argon2id: {raw_first:.1f} then {raw_last:.1f} checks/s; form {form_rate:.1f}/s,"
                f" with {crowd_sessions} sessions open {busy_rate:.1f}/s",
                flush=True,
            )

            last = wrk(bare, "localhost", "/", seconds, folder)
            print(
                f"bare Django (last): {last[0]:.0f} req/s, p99 {last[1]:.0f} ms,"
                f" {last[2]:.2f} ms of CPU a request",
                flush=True,
            )
            # The better of the two runs: on a shared machine a slow moment of the baseline
            # would otherwise pass for a portal as fast as Django.
            baseline = (max(first[0], last[0]), min(first[1], last[1]), min(first[2], last[2]))
            for title, figures in measured.items():
                results += page_rows(title, baseline, figures)
            for title, rate in [
                (f"sign-ins through the form, {len(logins)} tenants", form_rate),
                (f"sign-ins of a tenant with {crowd_sessions}+ open sessions", busy_rate),
            ]:
                results.append(
                    {
                        "measure": title,
                        "baseline": f"argon2id ({settings.PASSWORD_HASHERS[0].rsplit('.')[-1]}),"
                        " 2 processes",
                        "baseline_value": raw,
                        "value": rate,
                        "unit": "/s",
                        "goal": f">= {GOAL_SIGN_INS:.0%}",
                        "met": rate >= GOAL_SIGN_INS * raw,
                    }
                )
            results.append(
                {
                    "measure": "web worker start to first page",
                    "baseline": "bare Django",
                    "baseline_value": bare.start_seconds,
                    "value": portal.start_seconds,
                    "unit": "s",
                    "goal": f"< {GOAL_START_SECONDS:.0f} s",
                    "met": portal.start_seconds < GOAL_START_SECONDS,
                }
            )
            (bare_pss, bare_rss), (portal_pss, portal_rss) = bare.memory_mb(), portal.memory_mb()
            print(
                f"memory a worker: bare PSS {bare_pss:.1f} MB (RSS {bare_rss:.1f}),"
                f" portal PSS {portal_pss:.1f} MB (RSS {portal_rss:.1f})",
                flush=True,
            )
            for title, baseline_value, value, goal in [
                ("web worker memory (PSS, master's share)", bare_pss, portal_pss, True),
                ("web worker memory (RSS)", bare_rss, portal_rss, False),
            ]:
                results.append(
                    {
                        "measure": title,
                        "baseline": "bare Django worker",
                        "baseline_value": baseline_value,
                        "value": value,
                        "unit": "MB",
                        # RSS counts the shared libraries and fonts in every worker: shown,
                        # the goal judged on PSS (Server.memory_mb).
                        "goal": f"<= {GOAL_MEMORY:.0%}" if goal else None,
                        "met": value <= GOAL_MEMORY * baseline_value if goal else None,
                    }
                )
            download_ms = first_download_ms(portal, jean, account)
            connection.close()
            print(f"first download in a fresh worker: {download_ms:.0f} ms", flush=True)
            results.append(
                {
                    "measure": "first download of a notice not yet rendered, fresh worker",
                    "baseline": None,
                    "baseline_value": None,
                    "value": download_ms,
                    "unit": "ms",
                    "goal": f"< {GOAL_FIRST_DOWNLOAD_MS} ms",
                    "met": download_ms < GOAL_FIRST_DOWNLOAD_MS,
                }
            )
    return results


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench.__main__ import table

    results = run(os.environ.get("BENCH_QUICK") == "1")
    print(table(results))
    return 0 if all(result["met"] is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
