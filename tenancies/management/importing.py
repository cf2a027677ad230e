"""The shared shape of the ERP import commands."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from landlords.models import Landlord
from tenancies.erpfiles import ENCODINGS, ImportFileError, ImportReport


class ImportCommand(BaseCommand):
    noun = "lignes"

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV exporté par l'ERP")
        parser.add_argument("--landlord", required=True, help="code du bailleur, par exemple hmp")
        parser.add_argument(
            "--encoding",
            choices=["auto", *ENCODINGS],
            default="auto",
            help="encodage du fichier (par défaut : UTF-8 s'il est valide, sinon Windows-1252)",
        )

    def run_import(self, landlord, stream, encoding: str) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, file, landlord, encoding, **options):
        found = Landlord.objects.filter(slug=landlord).first()
        if found is None:
            known = ", ".join(Landlord.objects.values_list("slug", flat=True)) or "aucun"
            raise CommandError(f"Bailleur inconnu : « {landlord} » (codes connus : {known}).")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        with path.open("rb") as stream:
            try:
                report = self.run_import(found, stream, encoding)
            except ImportFileError as exc:
                raise CommandError(f"{path.name} : {exc} Rien n'a été importé.") from None
        if report.errors:
            for line, message in report.errors:
                self.stderr.write(f"{path.name}, ligne {line} : {message}")
            raise CommandError(
                f"{path.name} : {len(report.errors)} ligne(s) en erreur, rien n'a été importé."
            )
        self.stdout.write(self.style.SUCCESS(f"{path.name} : {self.noun} {report.summary}."))
        if report.closing:
            self.stdout.write(report.closing)
