"""The background worker: django-tasks-db's, with a heartbeat, reclaiming and patience.

- A heartbeat row (workers.models.Heartbeat) every WORKER_HEARTBEAT_SECONDS, from a thread
  of its own, also while a task runs; the same thread puts back the tasks of dead workers
  (workers/reclaim.py).
- The database going away does not end the worker: it logs one line a minute, waits, and
  when the database is back runs again the task it was running (its end could not be
  recorded), rather than leaving it RUNNING or marking it failed.
"""

import contextlib
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from core import outage
from core.health import database_answers
from workers.models import Heartbeat
from workers.reclaim import reclaim_stale_tasks, requeue_own_tasks

logger = logging.getLogger("espace.workers")


class HeartbeatWorker(Worker):
    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.started_at = timezone.now()
        self._stop = threading.Event()

    # --- the heartbeat thread ------------------------------------------------------------

    def beat(self) -> None:
        """One heartbeat and one look for abandoned tasks (the thread's work, also callable)."""
        now = timezone.now()
        Heartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
            },
        )
        reclaim_stale_tasks(now)

    def _beat_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.beat()
            except outage.DATABASE_ERRORS as error:
                outage.note(
                    "worker-heartbeat",
                    "Worker %s: no heartbeat written, database unreachable (%s)",
                    self.worker_id,
                    type(error).__name__,
                )
                connection.close()
            except Exception:
                logger.exception("Worker %s: heartbeat failed", self.worker_id)
            self._stop.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> None:
        beating = threading.Thread(target=self._beat_forever, name="heartbeat", daemon=True)
        beating.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except outage.DATABASE_ERRORS as error:
                    outage.note(
                        "worker",
                        "Worker %s: database unreachable (%s); it waits for it",
                        self.worker_id,
                        type(error).__name__,
                    )
                self._wait_for_database()
                if not self.running:
                    return
        finally:
            self._stop.set()
            self._forget()

    def _wait_for_database(self) -> None:
        self.startup_delay = False
        while self.running:
            close_old_connections()
            connection.close()
            if database_answers():
                try:
                    requeue_own_tasks(self.worker_id)
                except outage.DATABASE_ERRORS:
                    pass
                else:
                    outage.recovered("worker", "Worker %s: database answers again", self.worker_id)
                    return
            time.sleep(max(self.interval, 1))

    def _forget(self) -> None:
        """A worker stopping cleanly takes its heartbeat away (nothing left to reclaim)."""
        with contextlib.suppress(*outage.DATABASE_ERRORS):
            Heartbeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """A task that failed because the database went away is not failed: it stays
        RUNNING, and `run` puts it back once the database answers."""
        set_failed = db_task_result.set_failed

        def fail_unless_outage(error: BaseException) -> None:
            if outage.part_of(error) == "database" and not database_answers():
                raise error
            set_failed(error)

        db_task_result.set_failed = fail_unless_outage  # type: ignore[method-assign]
        super().run_task(db_task_result)
