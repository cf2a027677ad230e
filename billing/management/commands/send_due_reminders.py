from django.core.management.base import BaseCommand

from billing.due_reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the Web Push reminders three days before the rent's due date, to the devices "
        "that asked for them, when something is owed. Each goes once: run it daily."
    )

    def handle(self, *args, **options):
        queued = send_due_reminders()
        self.stderr.write(f"{queued} rappel(s) d'échéance envoyé(s).")
