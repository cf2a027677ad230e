"""`manage.py worker`: runs the background tasks (emails, SMS, imports, notices).

The options of django-tasks-db's `db_worker` (queues, interval, batch…), with a heartbeat,
the reclaiming of tasks left by dead workers and patience through a database outage
(workers/runner.py). Run one or more per machine, under a supervisor that restarts it.
"""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from workers.runner import HeartbeatWorker


class Command(DbWorkerCommand):
    help = "Run the background tasks, with a heartbeat (see docs/operations.md)"

    def handle(self, **options) -> None:
        self.configure_logging(options["verbosity"])
        worker = HeartbeatWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            # A new identifier for each process (the parser's default is drawn once).
            worker_id=options["worker_id"] or get_random_string(32),
            excluded_queue_names=(options["exclude_queues"] or "").split(",")
            if options["exclude_queues"]
            else [],
        )
        worker.configure_signals()
        worker.run()
