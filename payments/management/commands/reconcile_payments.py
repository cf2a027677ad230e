from typing import Any

from django.core.management.base import BaseCommand

from payments.services import reconcile_pending


class Command(BaseCommand):
    help = "Settle the online payments left in progress (run every 5 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = reconcile_pending()
        self.stdout.write(
            f"Paiements : {report.paid} payés, {report.failed} refusés, {report.expired} expirés, "
            f"{report.still_pending} toujours en cours."
        )
