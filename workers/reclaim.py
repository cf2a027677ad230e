"""Tasks left running by a worker that died, run again; what `worker_health` reports.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again:
a worker killed (SIGKILL, out of memory, machine lost) in the middle of a task would leave
it RUNNING forever, its email or SMS never sent. Every worker (`manage.py worker`) writes a
heartbeat row every few seconds; any of them puts back to READY a RUNNING task whose worker
has not been seen for WORKER_STALE_SECONDS, so that another worker runs it.

A task may therefore run twice: when its worker died after the work was done but before
the row said so (docs/notifications.md says what that means for a message).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from workers.models import Heartbeat

logger = logging.getLogger("espace.workers")

# A task claimed by a worker that writes no heartbeat (the library's own `db_worker`) is
# taken back only after this long: it may still be running.
UNKNOWN_WORKER_GRACE = datetime.timedelta(hours=1)
FORGET_HEARTBEATS_AFTER = datetime.timedelta(days=1)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)


def reclaim_stale_tasks(now: datetime.datetime | None = None) -> int:
    """Put back to READY the RUNNING tasks whose worker stopped; how many."""
    now = now or timezone.now()
    beats = dict(Heartbeat.objects.values_list("worker_id", "seen_at"))
    reclaimed = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .select_for_update(skip_locked=True)
            .only("id", "task_path", "worker_ids", "started_at")
        )
        for task in running:
            worker = task.worker_ids[-1] if task.worker_ids else None
            seen = beats.get(worker) if worker else None
            if seen is not None:
                gone = seen < now - stale_after()
            else:
                gone = task.started_at is None or task.started_at < now - UNKNOWN_WORKER_GRACE
            if not gone:
                continue
            DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY)
            reclaimed += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s, which stopped: it runs again",
                task.pk,
                task.task_path,
                worker,
            )
    Heartbeat.objects.filter(seen_at__lt=now - FORGET_HEARTBEATS_AFTER).delete()
    return reclaimed


def requeue_own_tasks(worker_id: str) -> int:
    """After the database came back: the tasks this worker was running when it went away
    (their end could not be recorded) run again."""
    tasks = DBTaskResult.objects.running().only("id", "worker_ids")
    ids = [task.pk for task in tasks if task.worker_ids and task.worker_ids[-1] == worker_id]
    for pk in ids:
        logger.warning("Task %s was interrupted by the database outage: it runs again", pk)
    return DBTaskResult.objects.filter(pk__in=ids).update(status=TaskResultStatus.READY)


@dataclass(frozen=True)
class Health:
    live_workers: int
    running: int
    overdue: int  # tasks ready for longer than `max_wait`
    oldest_wait: datetime.timedelta | None


def health(max_wait: datetime.timedelta, now: datetime.datetime | None = None) -> Health:
    now = now or timezone.now()
    live = Heartbeat.objects.filter(seen_at__gte=now - stale_after()).count()
    ready = DBTaskResult.objects.ready()
    # Waiting since it was queued, or since the time it was queued for (a retry).
    waits = [
        now - (enqueued if run_after == get_date_max() else max(run_after, enqueued))
        for enqueued, run_after in ready.filter(enqueued_at__lt=now - max_wait)
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")[:1000]
    ]
    overdue = [wait for wait in waits if wait > max_wait]
    return Health(
        live_workers=live,
        running=DBTaskResult.objects.running().count(),
        overdue=len(overdue),
        oldest_wait=max(overdue, default=None),
    )
