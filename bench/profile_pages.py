# ruff: noqa: B023, S101 (a measuring tool: loop closures used at once, our own commands)
"""Where a signed-in page's time goes, under production settings, without a server.

    scripts/with-throwaway-postgresql .venv/bin/python -m bench.profile_pages [N] [--cprofile]

The data of bench/web.py's prepare() (a few generated tenants), DEBUG off, the Redis cache
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/11, emptied first), collected static files
with their manifest; the signed-in demo tenant of aubervilliers.localhost asks each page
N times (default 300) through the WSGI application, as gunicorn calls it. Prints, per page,
the mean time, the queries and the cache round trips of one request; with --cprofile, the
functions that cost the most (cumulative). The time is noisy on a shared machine; the counts
and the profile's shape are not.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(os.environ.get("PROFILE_FOLDER") or tempfile.mkdtemp(prefix="profile-pages-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="false",
    VAR_DIR=str(FOLDER / "var"),
    ALLOWED_HOSTS=".localhost",
    HTTPS="false",
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
    TRUSTED_PROXY_COUNT="1",
    PAYMENT_SANDBOX="true",
)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")

HOST = "aubervilliers.localhost"


def environ(path: str, cookie: str, method: str = "GET", body: bytes = b"") -> dict:
    return {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_FOR": "10.1.2.3",
        "HTTP_COOKIE": cookie,
        "HTTP_USER_AGENT": "wrk",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(application, env: dict) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    chunks = application(env, start_response)
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return answer["status"], answer["headers"], body


def setup(application) -> tuple[str, int]:
    """The data, the static files' manifest and a signed-in session: (its cookie, the account)."""
    import re
    from urllib.parse import urlencode

    import redis
    from django.db import connection
    from django.test.utils import override_settings

    from bench.web import PASSWORD, prepare

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        check=True,
    )
    with override_settings(MEDIA_ROOT=FOLDER / "var" / "media"):
        account, _logins = prepare(2)
    connection.close()
    # Sign in through the form, as bench/web.py does.
    status, headers, page = call(application, environ("/compte/login/", ""))
    cookies = dict(
        value.strip().split(";")[0].split("=", 1) for name, value in headers if name == "Set-Cookie"
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urlencode(
        {"csrfmiddlewaretoken": token, "login": "jean@exemple.com", "password": PASSWORD}
    ).encode()
    env = environ("/compte/login/", "; ".join(f"{k}={v}" for k, v in cookies.items()), "POST", body)
    env["HTTP_REFERER"] = f"http://{HOST}/compte/login/"
    status, headers, _ = call(application, env)
    assert status.startswith("302"), status
    for name, value in headers:
        if name == "Set-Cookie":
            key, val = value.strip().split(";")[0].split("=", 1)
            cookies[key] = val
    return f"sessionid={cookies['sessionid']}", account.pk


def main() -> int:
    count = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "300"))
    profile = "--cprofile" in sys.argv
    # PROFILE_STATE: a file holding the session of an earlier run on the same database and
    # PROFILE_FOLDER (written when missing), so that a run under valgrind skips the set-up.
    state_file = os.environ.get("PROFILE_STATE")
    callgrind = None
    if os.environ.get("CALLGRIND_LIB"):  # a tiny library of callgrind's client requests
        import ctypes

        callgrind = ctypes.CDLL(os.environ["CALLGRIND_LIB"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from bench.web import cpu_seconds  # of the PostgreSQL backend, on this machine
    from config.wsgi import application

    if state_file and Path(state_file).exists():
        cookie, account_pk = json.loads(Path(state_file).read_text())
    else:
        cookie, account_pk = setup(application)
        if state_file:
            Path(state_file).write_text(json.dumps([cookie, account_pk]))

    pages = {
        "Mon compte": "/mon-compte/",
        "history": f"/mon-compte/compte/{account_pk}/situation/",
        "documents": f"/mon-compte/compte/{account_pk}/documents/",
    }
    from django.core.cache import cache

    for title, path in pages.items():
        for _ in range(20):  # warm-up: templates compiled, connection open
            status, _headers, _body = call(application, environ(path, cookie))
            assert status.startswith("200"), (path, status)
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: (
                queries.append(sql) or execute(sql, params, many, context)
            )
        ):
            call(application, environ(path, cookie))
        cache_calls = []
        backend = cache._connections[cache._alias] if hasattr(cache, "_connections") else None
        original = type(backend)._call

        def counted(self, name, *args, **kwargs):
            cache_calls.append((name, args[:1]))
            return original(self, name, *args, **kwargs)

        type(backend)._call = counted
        call(application, environ(path, cookie))
        type(backend)._call = original
        profiler = cProfile.Profile() if profile else None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
        backend_cpu = cpu_seconds(backend_pid)
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        if callgrind:
            callgrind.cg_start()
        durations = []
        for _ in range(count):
            before = time.perf_counter()
            call(application, environ(path, cookie))
            durations.append(time.perf_counter() - before)
        if callgrind:
            callgrind.cg_dump(title.encode())
            callgrind.cg_stop()
        if profiler:
            profiler.disable()
        elapsed = (time.perf_counter() - started) / count
        cpu = (time.process_time() - cpu) / count
        backend_cpu = (cpu_seconds(backend_pid) - backend_cpu) / count
        print(
            f"{title}: {elapsed * 1000:.2f} ms a request ({cpu * 1000:.2f} ms of CPU here, "
            f"{backend_cpu * 1000:.2f} ms in PostgreSQL; fastest {min(durations) * 1000:.2f} ms,"
            f" median {statistics.median(durations) * 1000:.2f} ms), "
            f"{len(queries)} queries, "
            f"{len(cache_calls)} cache calls",
            flush=True,
        )
        for sql in queries:
            print("   ", sql[:150])
        print(f"    cache: {cache_calls}")
        if profiler:
            if os.environ.get("PROFILE_DUMP"):  # a folder for the raw profiles (pstats)
                profiler.dump_stats(Path(os.environ["PROFILE_DUMP"]) / f"{title}.prof")
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(40)
            print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
