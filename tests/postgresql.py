"""For the tests of row locks under real concurrency (marked `postgresql`: skipped elsewhere)."""

import time

from django.db import connection


def wait_for_blocked_locks(count: int = 1, timeout: float = 10.0) -> None:
    """Return once `count` sessions wait for a lock; fail if they never do."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"{count} session(s) never waited for the lock")
