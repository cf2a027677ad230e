import datetime

from django.core.management.base import CommandError

from billing.imports import import_ledger
from tenancies.management.importing import ImportCommand


def parse_month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(
            f"Mois invalide : « {text} » (attendu AAAA-MM, par exemple 2026-11)."
        ) from None


class Command(ImportCommand):
    help = (
        "Importe les écritures des comptes locataires d'un fichier CSV de l'ERP ; "
        "--closes-period AAAA-MM clôt le mois que le fichier complète (ses avis sont émis)."
    )
    noun = "écritures"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--closes-period",
            metavar="AAAA-MM",
            help="le mois dont ce fichier complète les écritures : il est clos après l'import",
        )

    def handle(self, *args, closes_period=None, **options):
        self.closes_period = parse_month(closes_period) if closes_period else None
        self.file_name = options["file"]
        super().handle(*args, **options)

    def run_import(self, landlord, stream, encoding):
        return import_ledger(
            landlord,
            stream,
            encoding=encoding,
            progress=True,
            closes_period=self.closes_period,
            file_name=self.file_name.rsplit("/", 1)[-1],
        )
