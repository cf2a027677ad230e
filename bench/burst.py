"""The first of the month: N tenants at once sign in, open Mon compte, download their rent
notice and pay through the payment sandbox, each notification arriving twice at once.

Run with `make bench`, or alone with
`scripts/with-throwaway-postgresql .venv/bin/python -m bench.burst` (BENCH_QUICK=1: 20
tenants, then 4 bursts of 30 through haproxy; else 200, then 4 of 50; about 2 and 6
minutes on 2 shared cores). The portal runs as in bench/web.py (its helpers: production
settings, PostgreSQL, Redis at BENCH_REDIS_URL, gunicorn with 2 sync workers), with
generated tenants of Aubervilliers whose month's notices are generated first, as
`generate_notices`'s tasks do. CONCURRENCY tenants at a time, each its own address:

1. signs in through the form (the page, then the post), opens Mon compte;
2. opens Mes documents and downloads the month's notice (a PDF);
3. "Règlement en ligne": the amount's page, its post, the sandbox's pages (Lyra's form,
   the means of payment, the card 4970 1000 0000 0003), whose server-to-server
   notification (IPN) reaches a stand-in for the provider's network (Notifier) that posts
   it twice at once to /paiement/notification/, as Lyra does when it retries; both must be
   answered OK; then the return page must say "Paiement accepté".

The sandbox is served by the portal's own workers, which Lyra's page never is: posting its
notification from inside the card's request would hold a sync worker while another one
answers it, and with every worker in that state the burst would stall until a timeout.
So the notification goes to the Notifier (the tenants' Host names its port: the portal
builds the notification's address from the Host), which takes it at once and delivers the
two copies itself; the journey waits for both answers.

After the bursts the database is checked: every tenant's payment (all journeys, the lone
ones too) confirmed and in exactly one ledger line, the only online payment of its account;
none twice, none missing.

Then the same through haproxy (`haproxy` from Debian, scripts/ensure-system-packages) in
front of two gunicorn processes of one sync worker each (2 cores: one worker per core, as
the README's several-machines layout and tests/system/ run them, two processes so that
the load balancer chooses; one process of two workers has a single listen backlog, a shared
queue already), with and without `maxconn 1` on each server (a process's worker count:
haproxy then queues requests itself and gives each to the first free worker, instead of
leaving them in a busy process's listen backlog), in turns: without, with, with, without.

Rows: journeys per second and the journey's p99 (the baseline: one tenant alone, the same
journey, in the same run), the p99 through haproxy with maxconn against without (no goal:
measures), the errors (goal 0) and the payments credited exactly once (goal: all).
"""

import concurrent.futures
import html
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import django

from bench import web

QUICK_TENANTS, FULL_TENANTS = 20, 200
# Through haproxy: each setting HAPROXY_ROUNDS times, this many tenants a burst.
QUICK_HAPROXY_TENANTS, FULL_HAPROXY_TENANTS = 30, 50
HAPROXY_ROUNDS = 2
CONCURRENCY = 16
# bench.web's tenants are numbered from 0 in the same database: these come after them.
FIRST_TENANT = 50_000
ALONE = 3  # journeys of one tenant alone (after one to warm up): the baseline
MAXCONN = 1  # each gunicorn process's worker count behind haproxy
CARD = {"card_number": "4970100000000003", "expiry": "12/30", "cvv": "123"}
PROVIDER_ADDRESS = "10.251.0.1"
LOAD_BALANCER_503 = web.ROOT / "deploy" / "haproxy" / "503-fr.http"
# deploy/haproxy/haproxy.cfg's settings on loopback, without TLS; `maxconn` or not.
HAPROXY_CONFIG = """global
  maxconn 1024
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout queue 30s
  option forwardfor
  option http-server-close
  errorfile 503 {errorfile}
frontend portal
  bind 127.0.0.1:{port}
  default_backend web
backend web
  balance roundrobin
  option httpchk GET /sante/
  http-check expect status 200
  default-server check inter 2s fall 3 rise 2{maxconn}
{servers}
"""


class JourneyError(Exception):
    pass


class Notifier:
    """The provider's side of the notifications: takes the sandbox's IPN at once, then posts
    it twice at once to the portal (`target`); `answers(order_id)` waits for both replies."""

    def __init__(self, target):
        self.target = target
        self.lock = threading.Lock()
        self.replies: dict[str, concurrent.futures.Future] = {}
        notifier = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")
                notifier.received(body, self.headers["Host"])

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def future(self, order_id: str) -> concurrent.futures.Future:
        with self.lock:
            return self.replies.setdefault(order_id, concurrent.futures.Future())

    def received(self, body: bytes, host: str) -> None:
        order_id = parse_qs(body.decode())["vads_order_id"][0]
        threading.Thread(target=self.deliver, args=(body, host, self.future(order_id))).start()

    def deliver(self, body: bytes, host: str, future: concurrent.futures.Future) -> None:
        import requests

        together = threading.Barrier(2)
        replies: list = [None, None]

        def post(copy: int) -> None:
            with requests.Session() as session:
                session.trust_env = False
                together.wait()
                try:
                    answer = session.post(
                        self.target.url("/paiement/notification/"),
                        data=body,
                        headers={
                            "Host": host,
                            "Content-Type": "application/x-www-form-urlencoded",
                            "X-Forwarded-For": PROVIDER_ADDRESS,
                        },
                        timeout=120,
                    )
                    replies[copy] = (answer.status_code, answer.text)
                except requests.RequestException as error:
                    replies[copy] = (0, type(error).__name__)

        copies = [threading.Thread(target=post, args=(n,)) for n in range(2)]
        for copy in copies:
            copy.start()
        for copy in copies:
            copy.join()
        future.set_result(replies)

    def answers(self, order_id: str, timeout: float = 120) -> list:
        return self.future(order_id).result(timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Haproxy(web.Process):
    """haproxy in front of `servers`, `maxconn` on each (or none)."""

    def __init__(self, servers: list, maxconn: int | None, folder: Path):
        self.port = web.free_port()
        config = folder / f"haproxy-{self.port}.cfg"
        config.write_text(
            HAPROXY_CONFIG.format(
                errorfile=LOAD_BALANCER_503,
                port=self.port,
                maxconn=f" maxconn {maxconn}" if maxconn else "",
                servers="\n".join(
                    f"  server {server.name} 127.0.0.1:{server.port}" for server in servers
                ),
            )
        )
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        command = [haproxy, "-db", "-f", str(config)]
        super().__init__("haproxy", command, (web.HOST, "/sante/"), timeout=30)


def address(n: int) -> str:
    return f"10.{200 + n // 62500 % 50}.{n // 250 % 250}.{n % 250 + 1}"


def journey(front, login: str, client_ip: str, notifier: Notifier, period: str) -> dict:
    """One tenant's first of the month through `front` (a gunicorn Server or haproxy)."""
    import requests

    host = f"{web.HOST}:{notifier.port}"  # the notification's address: the Notifier
    steps: dict[str, float] = {}
    latencies: list[float] = []  # each request's but the sign-in's two
    started = mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps[name] = now - mark
        mark = now

    with requests.Session() as browser:
        browser.trust_env = False
        browser.headers.update({"X-Forwarded-For": client_ip})

        def call(method: str, path: str, expect: int = 200, **kwargs) -> requests.Response:
            sent = time.perf_counter()
            answer = browser.request(
                method,
                front.url(path),
                headers={"Host": host, "Referer": f"http://{host}{path}"},
                allow_redirects=False,
                timeout=120,
                **kwargs,
            )
            latencies.append(time.perf_counter() - sent)
            if answer.status_code != expect:
                raise JourneyError(f"{method} {path}: {answer.status_code}, not {expect}")
            return answer

        def found(pattern: str, text: str, what: str) -> str:
            match = re.search(pattern, text)
            if not match:
                raise JourneyError(f"{login}: no {what}")
            return html.unescape(match[1])

        web.sign_in(front, login, client_ip, browser=browser, host=host)
        home = call("GET", "/mon-compte/")
        account = found(r"/mon-compte/compte/(\d+)/reglement/", home.text, "Règlement link")
        step("sign-in and Mon compte")

        documents = call("GET", f"/mon-compte/compte/{account}/documents/")
        notice = found(
            rf'href="(/mon-compte/compte/{account}/documents/avis/{period}\.pdf)"',
            documents.text,
            f"notice of {period} in Mes documents",
        )
        pdf = call("GET", notice)
        if not pdf.content.startswith(b"%PDF-"):
            raise JourneyError(f"{notice}: not a PDF")
        step("documents and notice")

        base = f"/mon-compte/compte/{account}/reglement/"
        call("GET", base)
        amount_page = call("GET", f"{base}montant/")
        redirect = call(
            "POST",
            f"{base}montant/",
            data={
                "csrfmiddlewaretoken": found(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', amount_page.text, "CSRF token"
                ),
                "amount": found(r'name="amount" value="([^"]+)"', amount_page.text, "amount"),
            },
        )
        action = found(r'action="([^"]+)" id="vers-prestataire"', redirect.text, "provider form")
        fields = {
            name: html.unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', redirect.text
            )
        }
        token = r'name="token" value="([^"]+)"'  # noqa: S105 (the sandbox's form field)
        method = call("POST", urlsplit(action).path, data=fields)
        card = call(
            "POST",
            "/paiement/bac-a-sable/moyen/",
            data={"token": found(token, method.text, "sandbox token"), "brand": "CB"},
        )
        done = call(
            "POST",
            "/paiement/bac-a-sable/carte/",
            expect=302,
            data={"token": found(token, card.text, "card token"), **CARD},
        )
        reference = fields["vads_order_id"]
        replies = notifier.answers(reference)
        if replies != [(200, "OK"), (200, "OK")]:
            raise JourneyError(f"{reference}: the notification twice was answered {replies}")
        back = call("GET", urlsplit(done.headers["Location"]).path)
        if "Paiement accepté" not in html.unescape(back.text):
            raise JourneyError(f"{reference}: the return page does not say it was accepted")
        step("payment")
    return {
        "login": login,
        "reference": reference,
        "steps": steps,
        "latencies": latencies,
        "seconds": time.perf_counter() - started,
    }


def attempt(*args) -> dict:
    try:
        return journey(*args)
    except Exception as error:  # counted, and the burst goes on
        return {"login": args[1], "error": f"{type(error).__name__}: {error}"[:300]}


def cpu_seconds(servers: list) -> float:
    """The CPU time the servers' workers (their masters' children) have used so far."""
    total = 0.0
    for server in servers:
        pid = server.process.pid
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def burst(
    front, servers: list, logins: list[str], first_ip: int, notifier: Notifier, period: str
) -> dict:
    """Every login's journey, CONCURRENCY at a time, all submitted at once; `servers`: the
    gunicorn processes behind `front`, whose CPU time is counted."""
    cpu_before, own_before = cpu_seconds(servers), sum(os.times()[:2])
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONCURRENCY) as pool:
        futures = [
            pool.submit(attempt, front, login, address(first_ip + n), notifier, period)
            for n, login in enumerate(logins)
        ]
        journeys = [future.result() for future in futures]
    seconds = time.perf_counter() - started
    workers_cpu = cpu_seconds(servers) - cpu_before
    client_cpu = sum(os.times()[:2]) - own_before
    done = [j for j in journeys if "error" not in j]
    errors = [j for j in journeys if "error" in j]
    return {
        "journeys": journeys,
        "done": done,
        "errors": errors,
        "rate": len(done) / seconds,
        "seconds": seconds,
        "workers_cpu": workers_cpu,
        "client_cpu": client_cpu,
        "p99": p99([j["seconds"] for j in done]),
        "request_p99": p99([seconds for j in done for seconds in j["latencies"]]),
        "steps": {
            name: p99([j["steps"][name] for j in done])
            for name in (done[0]["steps"] if done else ())
        },
    }


def p99(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def describe(title: str, result: dict) -> None:
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result["steps"].items())
    p99_text = f"{result['p99']:.2f} s" if result["p99"] is not None else "-"
    print(
        f"{title}: {len(result['done'])} journeys in {result['seconds']:.1f} s "
        f"({result['rate']:.2f}/s), p99 {p99_text} (p99 by step: {steps}; a request's p99 "
        f"{1000 * (result['request_p99'] or 0):.0f} ms), "
        f"{len(result['errors'])} errors; CPU a journey: workers "
        f"{1000 * result['workers_cpu'] / len(result['journeys']):.0f} ms, this process "
        f"{1000 * result['client_cpu'] / len(result['journeys']):.0f} ms",
        flush=True,
    )
    for failed in result["errors"][:5]:
        print(f"  {failed['login']}: {failed['error']}", flush=True)


def credits(journeys: list[dict]) -> tuple[int, list[str]]:
    """How many tenants' payments are confirmed and in exactly one ledger line, the only
    online payment of the account; what is wrong with the others."""
    from django.db import connection

    from accounts.models import Access
    from billing.models import LedgerEntry
    from payments.models import Payment

    logins = [j["login"] for j in journeys]
    accounts = dict(
        Access.objects.filter(user__email__in=logins).values_list(
            "user__email", "signatory__lease__account_id"
        )
    )
    online = {}  # account: its online payments' ledger lines (reference, amount)
    for account, reference, cents in LedgerEntry.objects.filter(
        account__in=accounts.values(), kind=LedgerEntry.Kind.PAYMENT, reference__startswith="PL"
    ).values_list("account_id", "reference", "amount_cents"):
        online.setdefault(account, []).append((reference, cents))
    payments = {p.reference: p for p in Payment.objects.filter(account__in=accounts.values())}
    good, problems = 0, []
    for j in journeys:
        account = accounts[j["login"]]
        lines = online.get(account, [])
        reference = j.get("reference")
        payment = payments.get(reference) if reference else None
        if payment is None:
            problems.append(f"{j['login']}: no payment")
        elif payment.state != Payment.State.PAID:
            problems.append(f"{reference}: {payment.state}")
        elif lines != [(reference, -payment.amount_cents)]:
            problems.append(f"{reference}: ledger lines {lines}")
        else:
            good += 1
    connection.close()
    return good, problems


def generate_notices(numbers: list[str], period) -> int:
    """The month's notices of these accounts, as generate_notices's tasks make them."""
    from documents import generation
    from tenancies.models import TenantAccount

    ours = set(
        TenantAccount.objects.filter(
            landlord__slug="aubervilliers", number__in=numbers
        ).values_list("pk", flat=True)
    )
    pending = [pk for pk in generation.pending_account_ids(period) if pk in ours]
    return sum(generation.generate_chunk(chunk, period) for chunk in generation.chunks(pending))


def haproxy_bursts(portal, logins: list[str], per_burst: int, folder: Path, month: str) -> dict:
    """Bursts of `per_burst` tenants through haproxy in front of two gunicorn processes of
    one worker each, without then with maxconn, in turns (ABBA: the load of a shared
    machine drifts); {maxconn: [burst results]}."""
    through: dict[int | None, list[dict]] = {None: [], MAXCONN: []}
    env = {**portal.env, "TRUSTED_PROXY_COUNT": "2"}  # the client's address, then haproxy's
    processes: list = []
    try:
        for n in (1, 2):
            processes.append(
                web.Server(
                    f"web{n}", "config.wsgi", env, web.ROOT, (web.HOST, "/compte/login/"), workers=1
                )
            )
        for turn in range(HAPROXY_ROUNDS):
            for maxconn in (None, MAXCONN) if turn % 2 == 0 else (MAXCONN, None):
                tenants, logins = logins[:per_burst], logins[per_burst:]
                balancer = Haproxy(processes, maxconn, folder)
                notifier = Notifier(balancer)
                try:
                    first_ip = 20_000 + 1000 * sum(map(len, through.values()))
                    result = burst(balancer, processes, tenants, first_ip, notifier, month)
                finally:
                    notifier.close()
                    balancer.stop()
                describe(f"through haproxy, 2 x 1 worker, maxconn={maxconn}", result)
                through[maxconn].append(result)
    finally:
        for process in processes:
            process.stop()
    return through


def run(quick: bool) -> list[dict]:
    """The bursts of the module docstring; one row each measure (see bench/__main__.py)."""
    django.setup()
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark runs on PostgreSQL: set DATABASE_URL (make bench does).")
    has_haproxy = bool(shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists())
    tenants = QUICK_TENANTS if quick else FULL_TENANTS
    per_burst = (QUICK_HAPROXY_TENANTS if quick else FULL_HAPROXY_TENANTS) if has_haproxy else 0
    wanted = 1 + ALONE + tenants + 2 * HAPROXY_ROUNDS * per_burst
    period = timezone.localdate().replace(day=1)
    month = f"{period:%Y-%m}"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        with override_settings(MEDIA_ROOT=folder / "var" / "media"):
            _account, logins = web.prepare(wanted, first=FIRST_TENANT)
            prepared = time.perf_counter()
            numbers = [f"9{n:05d}" for n in range(FIRST_TENANT, FIRST_TENANT + wanted)]
            notices = generate_notices(numbers, period)
        print(
            f"{len(logins)} tenants in {prepared - started:.0f} s, their {notices} notices of "
            f"{period:%m/%Y} in {time.perf_counter() - prepared:.0f} s",
            flush=True,
        )
        connection.close()  # the servers use their own connections
        journeys = []
        with web.servers(folder, os.environ["DATABASE_URL"], bare=False) as (portal,):
            notifier = Notifier(portal)
            try:
                # One journey to warm the workers up, then one tenant at a time: the baseline.
                journeys = [
                    journey(portal, login, address(n), notifier, month)
                    for n, login in enumerate(logins[: 1 + ALONE])
                ]
                alone = [j["seconds"] for j in journeys[1:]]
                print(f"one tenant alone: {', '.join(f'{s:.2f} s' for s in alone)}", flush=True)
                direct = burst(
                    portal, [portal], logins[1 + ALONE :][:tenants], 10_000, notifier, month
                )
                describe(f"gunicorn, {web.WORKERS} workers", direct)
            finally:
                notifier.close()
            through = {}
            if per_burst:
                rest = logins[1 + ALONE + tenants :]
                through = haproxy_bursts(portal, rest, per_burst, folder, month)
    bursts = [direct, *(result for results in through.values() for result in results)]
    journeys += [j for result in bursts for j in result["journeys"]]
    errors = sum(len(result["errors"]) for result in bursts)
    good, problems = credits(journeys)
    for problem in problems[:10]:
        print(f"  credit: {problem}", flush=True)
    baseline = statistics.median(alone)
    results = [
        {
            "measure": f"first-of-month burst, {tenants} tenants, {CONCURRENCY} at once: "
            "journeys/s",
            "baseline": "one tenant alone",
            "baseline_value": 1 / baseline,
            "value": direct["rate"],
            "unit": "/s",
            "goal": None,
            "met": None,
        },
        {
            "measure": "first-of-month burst: journey p99",
            "baseline": "one tenant alone (median)",
            "baseline_value": baseline,
            "value": direct["p99"],
            "unit": "s",
            "goal": None,
            "met": None,
        },
    ]
    if through:
        # The journeys of both rounds together: a p99 of twice as many.
        without, queued = (
            p99([j["seconds"] for result in through[maxconn] for j in result["done"]])
            for maxconn in (None, MAXCONN)
        )
        runs = len(through[MAXCONN]) * per_burst
        results.append(
            {
                "measure": f"burst through haproxy, 2 processes x 1 worker, maxconn {MAXCONN}: "
                f"journey p99 ({runs} tenants)",
                "baseline": "without maxconn",
                "baseline_value": without,
                "value": queued,
                "unit": "s",
                # No goal: on 2 shared cores the other work moves either figure by 20 % or more
                # from one burst to the next; across runs maxconn's p99 is lower (README).
                "goal": None,
                "met": None,
            }
        )
    else:
        results.append(
            {
                "measure": "burst through haproxy",
                "baseline": None,
                "value": "not run: haproxy missing (scripts/ensure-system-packages)",
                "goal": "runs",
                "met": False,
            }
        )
    results += [
        {
            "measure": f"burst errors ({len(journeys)} journeys)",
            "baseline": None,
            "baseline_value": None,
            "value": errors,
            "unit": "",
            "goal": "0",
            "met": errors == 0,
        },
        {
            "measure": "burst payments credited exactly once (notification twice at once)",
            "baseline": "payments",
            "baseline_value": len(journeys),
            "value": good,
            "unit": "",
            "goal": "all, none twice",
            "met": good == len(journeys),
        },
    ]
    return results


def main() -> int:
    sys.path.insert(0, str(web.ROOT))
    from bench.__main__ import table

    results = run(os.environ.get("BENCH_QUICK") == "1")
    print(table(results))
    return 0 if all(result["met"] is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
