"""The worker's heartbeat, the reclaiming of tasks left by dead workers, the database going
away mid-task, and `worker_health` (issue 16's scale-out, issue 18's item 5).

The same with real processes killed: tests/system/test_scale_out.py.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.sms import send_sms
from tests.factories import HeartbeatFactory
from tests.workers.support import batch_worker
from workers import runner
from workers.reclaim import reclaim_stale_tasks, requeue_own_tasks
from workers.runner import HeartbeatWorker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings, transactional_db):
    """Committed for real: the worker closes a connection that is inside a transaction
    (on PostgreSQL the test's own, which then hangs the worker's wait for the database)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker(worker_id="vivant") -> HeartbeatWorker:
    return batch_worker(worker_id)


def claimed_sms(worker_id: str, started_ago=datetime.timedelta(0)) -> DBTaskResult:
    send_sms(to="+33612345661", text="Votre code est 123456.")
    row = DBTaskResult.objects.ready().get()
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - started_ago)
    return row


def status(row) -> str:
    row.refresh_from_db()
    return row.status


def test_a_task_of_a_worker_that_stopped_beating_runs_again_elsewhere(monkeypatch):
    # The heartbeat thread would need a connection of its own (the system test has one).
    monkeypatch.setattr(HeartbeatWorker, "_beat_forever", lambda self: None)
    dead = HeartbeatFactory(stale=True)
    row = claimed_sms(dead.worker_id)

    assert reclaim_stale_tasks() == 1
    assert status(row) == TaskResultStatus.READY

    worker("autre").run()  # batch: every ready task, then it stops

    assert status(row) == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == [dead.worker_id, "autre"]


def test_a_task_of_a_live_worker_is_left_alone():
    alive = HeartbeatFactory()
    row = claimed_sms(alive.worker_id, started_ago=datetime.timedelta(hours=5))

    assert reclaim_stale_tasks() == 0
    assert status(row) == TaskResultStatus.RUNNING


def test_a_worker_without_heartbeat_is_given_an_hour():
    recent = claimed_sms("db_worker-sans-pouls", started_ago=datetime.timedelta(minutes=10))

    assert reclaim_stale_tasks() == 0
    DBTaskResult.objects.filter(pk=recent.pk).update(
        started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert reclaim_stale_tasks() == 1


@task()
def touches_the_database() -> None:
    raise OperationalError("server closed the connection unexpectedly")


def test_a_task_cut_by_a_database_outage_is_not_failed_but_run_again(monkeypatch):
    touches_the_database.enqueue()
    row = DBTaskResult.objects.ready().get()
    row.claim("vivant")
    monkeypatch.setattr(runner, "database_answers", lambda: False)

    with pytest.raises(OperationalError):
        worker().run_task(row)

    assert status(row) == TaskResultStatus.RUNNING
    assert requeue_own_tasks("vivant") == 1
    assert status(row) == TaskResultStatus.READY


def test_an_operational_error_while_the_database_answers_is_a_plain_failure():
    touches_the_database.enqueue()
    row = DBTaskResult.objects.ready().get()
    row.claim("vivant")

    worker().run_task(row)

    assert status(row) == TaskResultStatus.FAILED


def test_worker_health_needs_a_live_worker_and_no_task_waiting_too_long(capsys):
    with pytest.raises(SystemExit) as nobody:
        call_command("worker_health")
    assert nobody.value.code == 1
    assert "0 worker(s) alive" in capsys.readouterr().err

    worker().beat()
    call_command("worker_health")
    assert capsys.readouterr().out.startswith("ok: 1 worker(s) alive")

    send_sms(to="+33612345661", text="Votre code est 123456.")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=20))
    with pytest.raises(SystemExit) as late:
        call_command("worker_health", "--max-wait", "15")
    assert late.value.code == 1
    assert "1 task(s) waiting longer than 15 min" in capsys.readouterr().err
