from django.core.management.base import BaseCommand

from servicerequests.insurance import send_reminders


class Command(BaseCommand):
    help = (
        "Email the reminders of home insurance certificates: 30 days before their end date "
        "and on it. Each goes once: run it daily (or more often)."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stderr.write(f"{sent} rappel(s) envoyé(s).")
