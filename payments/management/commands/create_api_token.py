from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from landlords.models import Landlord
from payments.services import create_api_token


class Command(BaseCommand):
    help = "Create an integration token for a landlord's payments API; it is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--landlord", required=True, help="the landlord's code (slug)")
        parser.add_argument("--name", required=True, help="who uses it, e.g. ERP")

    def handle(self, *args: Any, landlord: str, name: str, **options: Any) -> None:
        found = Landlord.objects.filter(slug=landlord).first()
        if found is None:
            raise CommandError(f"Bailleur inconnu : {landlord}")
        _token, presented = create_api_token(found, name)
        self.stdout.write(presented)
