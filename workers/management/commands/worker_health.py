"""`manage.py worker_health`: exit 0 when background work gets done, 1 when it does not.

For a monitoring probe or a container's health check: at least one worker wrote its
heartbeat within WORKER_STALE_SECONDS, and no task has waited longer than --max-wait
minutes (workers too few or stuck). Exit 2 when the database does not answer.
"""

import datetime
import sys

from django.core.management.base import BaseCommand

from core import outage
from workers.reclaim import health


class Command(BaseCommand):
    help = "Whether the background workers are alive and keep up (exit status 0, 1 or 2)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-wait", type=int, default=15, help="minutes (default 15)")

    def handle(self, **options) -> None:
        max_wait = datetime.timedelta(minutes=options["max_wait"])
        try:
            state = health(max_wait)
        except outage.DATABASE_ERRORS as error:
            self.stderr.write(f"database unreachable ({type(error).__name__})")
            sys.exit(2)
        summary = (
            f"{state.live_workers} worker(s) alive, {state.running} task(s) running, "
            f"{state.overdue} task(s) waiting longer than {options['max_wait']} min"
        )
        if state.live_workers == 0 or state.overdue:
            self.stderr.write(f"unhealthy: {summary}")
            sys.exit(1)
        self.stdout.write(f"ok: {summary}")
