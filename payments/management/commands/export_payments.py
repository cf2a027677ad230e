from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from landlords.models import Landlord
from payments.export import batch_csv
from payments.models import PaymentExport
from payments.services import export_confirmed_payments


class Command(BaseCommand):
    help = (
        "Write the confirmed online payments not yet exported as a new batch (CSV), "
        "or re-export a past batch with --batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--landlord", required=True, help="the landlord's code (slug)")
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--batch", type=int, help="re-export this past batch number")

    def handle(
        self, *args: Any, landlord: str, output: str | None, batch: int | None, **options: Any
    ) -> None:
        found = Landlord.objects.filter(slug=landlord).first()
        if found is None:
            raise CommandError(f"Bailleur inconnu : {landlord}")
        if batch is not None:
            export = PaymentExport.objects.filter(landlord=found, number=batch).first()
            if export is None:
                raise CommandError(f"Lot {batch} inconnu pour {landlord}.")
        else:
            export = export_confirmed_payments(found, channel="commande")
            if export is None:
                self.stderr.write("Aucun paiement confirmé à exporter.")
                return
        content = batch_csv(export)
        if output:
            Path(output).write_bytes(content.encode())
        else:
            self.stdout.write(content, ending="")
        reversals = export.reversals.count()
        also = f", {reversals} remboursement(s) ou annulation(s)" if reversals else ""
        self.stderr.write(f"Lot {export.number} : {export.payments.count()} paiement(s){also}.")
