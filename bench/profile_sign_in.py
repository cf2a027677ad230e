# ruff: noqa: S101 (a measuring tool: its own checks)
"""What a sign-in costs besides its password hash, under production settings, without a server.

    scripts/with-throwaway-postgresql .venv/bin/python -m bench.profile_sign_in [N] [--cprofile]

The set-up of bench/profile_pages.py (bench/web.py's data, DEBUG off, the Redis cache at
BENCH_REDIS_URL, emptied first); then N posts (default 300) of the sign-in form through the
WSGI application, as bench/web.py's wrk sends them: a CSRF cookie and no session, each
from its own address, the generated tenants in turn; then the same for one tenant who
already has many sessions open. The configured hasher's verification is replaced by a
plain comparison of the password for the measure (its own cost, measured apart, is
printed beside): what is left is everything a sign-in costs besides Argon2id. Prints the
CPU of one sign-in here and in PostgreSQL, its queries and cache round trips; with
--cprofile, the functions that cost the most (CPU time: the profiler's own cost is in it).

CPU time is noisy on a shared machine; instructions are not. Run once with PROFILE_STATE
(a file, written by the set-up) and PROFILE_FOLDER, then again inside the same command
(the same database) under callgrind, which skips the set-up:

    CALLGRIND_LIB=libcg.so valgrind --tool=callgrind --instr-atstart=no \
        .venv/bin/python -m bench.profile_sign_in 20

with CALLGRIND_LIB a tiny library of callgrind's client requests (cg_start: zero the
counts, start; cg_stop; cg_dump(name)): one dump per measure, its instructions divided by N.
"""

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

from bench import profile_pages

BUSY_SESSIONS = 100


def main() -> int:
    count = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "300"))
    profile = "--cprofile" in sys.argv
    sys.path.insert(0, str(profile_pages.ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import check_password, get_hasher, make_password
    from django.core.cache import cache
    from django.db import connection
    from django.utils.crypto import constant_time_compare

    from bench.web import (
        CSRF_COOKIE,
        PASSWORD,
        cpu_seconds,  # of the PostgreSQL backend, on this machine
        sign_in_bodies,
    )
    from config.wsgi import application

    state_file = os.environ.get("PROFILE_STATE")
    callgrind = None
    if os.environ.get("CALLGRIND_LIB"):
        import ctypes

        callgrind = ctypes.CDLL(os.environ["CALLGRIND_LIB"])
    if not (state_file and Path(state_file).exists()):
        profile_pages.setup(application)
        if state_file:
            Path(state_file).write_text("set up")
    from accounts.models import User

    generated = User.objects.filter(email__endswith="@mesure.fr").order_by("pk")
    logins = list(generated.values_list("email", flat=True))
    encoded = make_password(PASSWORD)
    started = time.process_time()
    for _ in range(20):
        check_password(PASSWORD, encoded)
    hash_cpu = (time.process_time() - started) / 20

    hasher_class = type(get_hasher("default"))
    hasher_class.verify = lambda self, password, encoded: constant_time_compare(password, PASSWORD)
    addresses = iter(range(1, 10**7))

    def post(body: str) -> None:
        n = next(addresses)
        env = profile_pages.environ("/compte/login/", CSRF_COOKIE, "POST", body.encode())
        env["HTTP_X_FORWARDED_FOR"] = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250}"
        status, headers, _body = profile_pages.call(application, env)
        assert status.startswith("302"), status
        assert ("Location", "/mon-compte/") in headers, headers

    backend = cache._connections[cache._alias] if hasattr(cache, "_connections") else None

    def measure(title: str, bodies: tuple[str, ...]) -> None:
        for n in range(20):  # warm-up
            post(bodies[n % len(bodies)])
        queries, cache_calls = [], []
        original = type(backend)._call

        def counted(self, name, *args, **kwargs):
            cache_calls.append((name, args[:1]))
            return original(self, name, *args, **kwargs)

        type(backend)._call = counted
        with connection.execute_wrapper(
            lambda execute, sql, params, many, context: (
                queries.append(sql) or execute(sql, params, many, context)
            )
        ):
            post(bodies[0])
        type(backend)._call = original
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_pid = cursor.fetchone()[0]
        profiler = cProfile.Profile() if profile else None
        backend_cpu = cpu_seconds(backend_pid)
        cpu, elapsed = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        if callgrind:
            callgrind.cg_start()
        for n in range(count):
            post(bodies[n % len(bodies)])
        if callgrind:
            callgrind.cg_dump(title.encode())
            callgrind.cg_stop()
        if profiler:
            profiler.disable()
        cpu = (time.process_time() - cpu) / count
        elapsed = (time.perf_counter() - elapsed) / count
        backend_cpu = (cpu_seconds(backend_pid) - backend_cpu) / count
        print(
            f"{title}: {cpu * 1000:.2f} ms of CPU here besides the hash, "
            f"{backend_cpu * 1000:.2f} ms in PostgreSQL ({elapsed * 1000:.2f} ms a sign-in), "
            f"{len(queries)} queries, {len(cache_calls)} cache calls",
            flush=True,
        )
        for sql in queries:
            print("   ", sql[:150])
        print(f"    cache: {cache_calls}")
        if profiler:
            if os.environ.get("PROFILE_DUMP"):  # a folder for the raw profiles (pstats)
                profiler.dump_stats(os.path.join(os.environ["PROFILE_DUMP"], f"{title}.prof"))
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(70)
            stats.sort_stats("tottime").print_stats(40)
            print(stream.getvalue())

    print(f"the configured hasher: {hash_cpu * 1000:.2f} ms of CPU a verification", flush=True)
    measure(f"sign-ins, {len(logins)} tenants in turn", sign_in_bodies(logins))
    busy = sign_in_bodies(logins[-1:])
    if not callgrind:  # the first run opened them
        for _ in range(BUSY_SESSIONS):
            post(busy[0])
    measure(f"sign-ins of a tenant with {BUSY_SESSIONS}+ open sessions", busy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
