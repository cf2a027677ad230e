from django.core.management.base import BaseCommand, CommandError

from api.openapi import rendered


class Command(BaseCommand):
    help = "Write the store apps' OpenAPI documents in docs/ (--check: only say if they differ)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        stale = []
        for path, text in rendered().items():
            if path.exists() and path.read_text() == text:
                continue
            stale.append(path.name)
            if not check:
                path.write_text(text)
                self.stdout.write(f"Wrote {path}")
        if check and stale:
            raise CommandError(f"Out of date: {', '.join(stale)} (run manage.py app_openapi).")
