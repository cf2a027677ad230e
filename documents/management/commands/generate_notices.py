import datetime

from django.core.management.base import BaseCommand, CommandError

from billing.models import LedgerPeriod
from documents import generation
from documents.services import month_name
from documents.tasks import generate_notices
from landlords.models import Landlord


def parse_period(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(
            f"Mois invalide : « {text} » (attendu AAAA-MM, par exemple 2026-11)."
        ) from None


class Command(BaseCommand):
    help = (
        "Génère les avis d'échéance du mois en tâches de fond (reprend là où il s'est arrêté) ; "
        "--status dit où en est la génération."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="mois, AAAA-MM (par exemple 2026-11)")
        parser.add_argument("--landlord", help="code du bailleur (tous par défaut)")
        parser.add_argument(
            "--status", action="store_true", help="dire combien d'avis sont faits, sans rien lancer"
        )

    def handle(self, *args, period, landlord, status, **options):
        period = parse_period(period)
        if landlord:
            slug, landlord = landlord, Landlord.objects.filter(slug=landlord).first()
            if landlord is None:
                raise CommandError(f"Bailleur inconnu : « {slug} ».")
        closed = LedgerPeriod.objects.filter(period=period)
        if landlord:
            closed = closed.filter(landlord=landlord)
        if not status and not closed.exists():
            where = f" chez {landlord.name}" if landlord else " chez aucun bailleur"
            raise CommandError(
                f"{month_name(period).capitalize()} n'est pas clos{where} : ses avis "
                "d'échéance ne sont émis qu'une fois le mois clos (import_ledger "
                "--closes-period, ou Imports > Mois clos dans l'espace agence). "
                "Rien n'a été lancé."
            )
        if not status:
            pending = generation.pending_account_ids(period, landlord)
            chunks = generation.chunks(pending)
            for chunk in chunks:
                generate_notices.enqueue(chunk, period.isoformat())
            self.stdout.write(
                f"{len(pending)} avis à générer pour {month_name(period)}, "
                f"en {len(chunks)} tâche{'s' if len(chunks) > 1 else ''}."
            )
        done, total = generation.status(period, landlord)
        share = f" ({100 * done / total:.1f} %)".replace(".", ",") if total else ""
        self.stdout.write(
            f"Avis d'échéance de {month_name(period)} : {done} fait{'s' if done > 1 else ''} "
            f"sur {total}{share}."
        )
