"""Real parts started by a test on ports of their own, to be stopped and started again.

`RedisServer`: a throwaway redis-server (no persistence). `PostgresCluster`: a throwaway
PostgreSQL cluster (initdb in a temporary folder, run as the `postgres` user when the
tests run as root, as PostgreSQL refuses root), `pg_ctl stop` and `start` at will.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, up: bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise AssertionError(f"port {port} never {'opened' if up else 'closed'}")


def real_clock_environment() -> dict[str, str]:
    """This process's environment without libfaketime: a real part keeps the real clock
    when the suite runs with a moved one (scripts/test-moved-clock); redis-server under a
    moved clock never opens its port."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("FAKETIME")
    }
    preloaded = [
        library
        for library in environment.pop("LD_PRELOAD", "").split(":")
        if library and "faketime" not in library
    ]
    if preloaded:
        environment["LD_PRELOAD"] = ":".join(preloaded)
    return environment


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=real_clock_environment(),
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for_port(self.port, up=False)


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if versions:
        return str(versions[-1] / name)
    raise AssertionError(f"{name} not found: install postgresql")


class PostgresCluster:
    """A cluster of its own; `url` names its database `espace` (user postgres, trust)."""

    def __init__(self) -> None:
        # Its own folder under /tmp: pytest's are closed to the postgres user.
        self.folder = Path(tempfile.mkdtemp(prefix="espace-pg-"))
        self.data = self.folder / "pgdata"
        self.log = self.folder / "postgresql.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/espace"

    def _run(self, *command: str) -> None:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(
            command, check=True, capture_output=True, timeout=120, env=real_clock_environment()
        )

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run(
            _pg_bin("initdb"),
            *("-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"),
            *("--encoding=UTF8", "--locale=C.UTF-8"),
        )
        self.start()
        subprocess.run(
            [
                _pg_bin("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "espace",
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        # "fast": every session is cut at once, as when a database server goes away.
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
