import datetime
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.csv import write_rows
from landlords.models import Landlord
from servicerequests import reports
from servicerequests.models import ServiceRequest


class Command(BaseCommand):
    help = (
        "Write a landlord's requests created or changed since a moment as CSV for its ERP "
        "(docs/requests.md); the last change's time is printed for the next run's --since."
    )

    def add_arguments(self, parser):
        parser.add_argument("--landlord", required=True, help="the landlord's code (slug)")
        parser.add_argument(
            "--since", help="ISO date and time (e.g. 2026-01-31T18:00:00+01:00); all without it"
        )
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, landlord, since, output, **options):
        found = Landlord.objects.filter(slug=landlord).first()
        if found is None:
            raise CommandError(f"Bailleur inconnu : {landlord}")
        items = (
            ServiceRequest.objects.filter(account__landlord=found)
            .select_related("account__agency", "category", "assigned_to")
            .order_by("updated_at", "pk")
        )
        if since:
            try:
                moment = datetime.datetime.fromisoformat(since)
            except ValueError as error:
                raise CommandError(f"Date invalide : {since}") from error
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            items = items.filter(updated_at__gt=moment)
        exported = list(items)
        buffer = io.StringIO()
        write_rows(buffer, reports.rows(exported))
        # A BOM so that a spreadsheet reads the accents, as for the other exports.
        content = "\ufeff" + buffer.getvalue()
        if output:
            Path(output).write_bytes(content.encode())
        else:
            self.stdout.write(content, ending="")
        last = exported[-1].updated_at.isoformat() if exported else "aucune"
        self.stderr.write(f"{len(exported)} demande(s) ; dernière modification : {last}")
