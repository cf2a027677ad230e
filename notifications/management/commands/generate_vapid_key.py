"""Print a new VAPID private key for VAPID_PRIVATE_KEY (Web Push, docs/app.md)."""

from django.core.management.base import BaseCommand

from notifications.vapid import new_private_key, public_key_of


class Command(BaseCommand):
    help = "Prints a new VAPID private key for VAPID_PRIVATE_KEY (and its public key)."

    def handle(self, *args, **options):
        key = new_private_key()
        self.stdout.write(f"VAPID_PRIVATE_KEY={key}")
        self.stderr.write(f"public key (for information): {public_key_of(key)}")
