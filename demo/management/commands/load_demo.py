import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from demo.loading import load_demo_landlords
from landlords.models import Landlord

IDENTITIES = """\
Identités de démonstration (inscription) :
  Habitat Marseille Provence  000123           DUPOND Jean   10/09/1975  06 11 22 33 44
  Habitat Hauts-de-France     590000000012345  LEROY Sophie  02/02/1982  06 12 34 56 61
  Auvergne Habitat            0212345678901    COLIN Nadège  14/03/1980  06 98 76 54 32
  OPH d'Aubervilliers         123456           DUPOND Jean   10/09/1975  06 55 44 33 22"""


class Command(BaseCommand):
    help = "Charge les quatre bailleurs de démonstration (sans toucher à ceux déjà présents)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="port affiché dans les adresses")

    def handle(self, *args, port, **options):
        if not settings.DEMO:
            raise CommandError("Réservé au mode démonstration (DEMO=true).")
        for name in load_demo_landlords():
            self.stdout.write(f"Bailleur chargé : {name}")
        password = self._admin_password()
        addresses = "".join(
            f"  {landlord.name} : http://{landlord.primary_host}:{port}/\n"
            for landlord in Landlord.objects.all()
            if landlord.primary_host
        )
        self.stdout.write(
            "\nEspace Locataire (démonstration)\n"
            f"  Liste des bailleurs : http://localhost:{port}/\n{addresses}"
            f"  Administration : http://localhost:{port}/admin/ (admin / {password})\n\n"
            + IDENTITIES
        )

    def _admin_password(self) -> str:
        password_file = settings.VAR_DIR / "demo-admin-password"
        if not password_file.exists():
            password_file.write_text(secrets.token_urlsafe(12))
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@localhost", password)
        return password
