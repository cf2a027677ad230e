from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.sessions import purge_sessions


class Command(BaseCommand):
    help = (
        "Delete expired sessions (Django's clearsessions), then the rows of 'Vos appareils "
        "connectés' whose session is over. Run it daily."
    )

    def handle(self, *args, **options):
        call_command("clearsessions")
        removed = purge_sessions()
        self.stderr.write(f"{removed} appareil(s) déconnecté(s) oublié(s).")
