from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.imports import import_notices
from landlords.models import Landlord


class Command(BaseCommand):
    help = (
        "Importe les avis d'échéance en PDF de l'ERP depuis un dossier. Nom des fichiers : "
        "<numéro de compte>_<AAAA-MM>.pdf, par exemple 000123_2026-11.pdf."
    )

    def add_arguments(self, parser):
        parser.add_argument("--landlord", required=True, help="code du bailleur, par exemple hmp")
        parser.add_argument("folder", help="dossier contenant les PDF")

    def handle(self, *args, landlord, folder, **options):
        found = Landlord.objects.filter(slug=landlord).first()
        if found is None:
            raise CommandError(f"Bailleur inconnu : « {landlord} ».")
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"Dossier introuvable : « {folder} ».")
        report = import_notices(found, path)
        for name in report.replaced:
            self.stdout.write(f"Remplacé (contenu modifié) : {name}")
        for name, why in report.problems:
            self.stdout.write(f"Non importé : {name} : {why}")
        self.stdout.write(report.summary + ".")
