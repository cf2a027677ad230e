import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core import phones
from demo.loading import load_demo_landlords
from demo.staff import demo_staff
from landlords.models import Landlord
from staff.roles import Role
from tenancies.models import Signatory, TenantAccount

ADMIN_EMAIL = "admin@localhost"
# The demo identities of DESIGN.md, read back from the database as loaded.
DEMO_ACCOUNTS = [
    ("hmp", "000123"),
    ("hdf", "590000000012345"),
    ("auvergne", "0212345678901"),
    ("aubervilliers", "123456"),
]


def identities() -> str:
    lines = ["Identités de démonstration (inscription) :"]
    for slug, number in DEMO_ACCOUNTS:
        account = TenantAccount.objects.filter(landlord__slug=slug, number=number).first()
        if account is None:
            continue
        for signatory in Signatory.objects.filter(lease__account=account).order_by("position"):
            mobile = phones.national(signatory.mobile_phone)
            name = f"{signatory.last_name} {signatory.first_name}"
            lines.append(
                f"  {account.landlord.name:<28}{number:<17}{name:<15}"
                f"{signatory.birth_date:%d/%m/%Y}  {mobile}"
            )
    return "\n".join(lines)


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
            f"  Administration : http://localhost:{port}/admin/ ({ADMIN_EMAIL} / {password})\n\n"
            + self._staff(password, port)
            + identities()
        )

    def _staff(self, password: str, port) -> str:
        lines = [
            "Espace agence (mot de passe : le même que l'administration ; code : application "
            "d'authentification ou `oathtool --totp -b SECRET`) :"
        ]
        for landlord in Landlord.objects.prefetch_related("hosts"):
            if not landlord.agence_host:
                continue
            lines.append(f"  {landlord.name} : http://{landlord.agence_host}:{port}/")
            for member in demo_staff(landlord, password):
                role = Role(member.role).label
                lines.append(f"    {role:<28}{member.email:<42}secret TOTP {member.totp_secret}")
        return "\n".join(lines) + "\n\n"

    def _admin_password(self) -> str:
        password_file = settings.VAR_DIR / "demo-admin-password"
        if not password_file.exists():
            password_file.write_text(secrets.token_urlsafe(12))
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        user_model = get_user_model()
        if not user_model.objects.filter(email=ADMIN_EMAIL).exists():
            admin = user_model.objects.create_superuser(ADMIN_EMAIL, password)
            # Verified, so the first sign-in goes on to the two-step setup.
            EmailAddress.objects.create(user=admin, email=ADMIN_EMAIL, primary=True, verified=True)
        return password
