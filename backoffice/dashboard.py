"""The Tableau de bord's tiles, as data: a count that links to the list it summarises.

A new screen adds its tile here: a label, a function counting for a StaffMember, the
URL (name in the "backoffice" namespace and its query string) of the list, the
permission. A tile whose URL does not exist yet shows "À venir" in place of its count.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from backoffice import queues
from imports.models import ImportRun
from payments.models import Payment
from servicerequests.models import ServiceRequest, Status
from staff.access import scoped

# A payment still "en cours" after this has missed every provider's answer time
# (payments/services.py: PayFiP 20 minutes, Systempay 30).
PAYMENT_EXPECTED_WITHIN = datetime.timedelta(minutes=30)


def late_payments(member):
    before = timezone.now() - PAYMENT_EXPECTED_WITHIN
    in_progress = Payment.objects.filter(
        state__in=[Payment.State.CREATED, Payment.State.PENDING], created_at__lt=before
    )
    return scoped(member, in_progress)


def recent_imports(member):
    since = timezone.now() - datetime.timedelta(days=7)
    return ImportRun.objects.filter(landlord=member.landlord, created_at__gte=since)


def last_import_result(member) -> str:
    run = ImportRun.objects.filter(landlord=member.landlord).first()
    if run is None:
        return "Aucun import depuis l'espace agence."
    when = timezone.localtime(run.created_at)
    return f"Dernier : « {run.file_name} » le {when:%d/%m à %H:%M}, {run.get_state_display()}."


def waiting_requests(member):
    """Requests sent that nobody has taken in charge yet (servicerequests)."""
    return scoped(member, ServiceRequest.objects.filter(status=Status.SENT))


def late_requests(member):
    """Open requests past their promised response time: the queue's "en retard" filter."""
    late = ServiceRequest.objects.exclude(status=Status.CLOSED).filter(
        ServiceRequest.late_filter(timezone.now())
    )
    return scoped(member, late)


@dataclass(frozen=True)
class Tile:
    label: str
    permission: str
    count: Callable | None
    url_name: str
    query: str = ""
    later: str = ""
    detail: Callable | None = None  # a sentence under the count


TILES = [
    Tile(
        "Locataires à débloquer",
        "tenants.act",
        lambda member: len(queues.to_unblock(member)),
        "backoffice:unblock_queue",
    ),
    Tile(
        "Paiements « en cours » au-delà du délai attendu",
        "payments.view",
        lambda member: late_payments(member).count(),
        "backoffice:payments",
        "?etat=en-retard",
    ),
    Tile(
        "Inscriptions commencées, jamais activées",
        "tenants.act",
        lambda member: queues.never_activated(member).count(),
        "backoffice:search",
        "?etat=jamais-active",
    ),
    Tile(
        "Imports des 7 derniers jours",
        "imports.run",
        lambda member: recent_imports(member).count(),
        "backoffice:imports",
        detail=lambda member: last_import_result(member),
    ),
    Tile(
        "Demandes en attente",
        "requests.handle",
        lambda member: waiting_requests(member).count(),
        "backoffice:requests",
        "?status=envoyee",
    ),
    Tile(
        "Demandes en retard sur le délai promis",
        "requests.handle",
        lambda member: late_requests(member).count(),
        "backoffice:requests",
        "?retard=en-retard",
    ),
]


def tiles(member) -> list[dict]:
    shown = []
    for tile in TILES:
        if not member.can(tile.permission):
            continue
        try:
            url = reverse(tile.url_name) + tile.query
        except NoReverseMatch:
            url = None
        shown.append(
            {
                "label": tile.label,
                "url": url,
                "count": tile.count(member) if tile.count and url else None,
                "later": tile.later,
                "detail": tile.detail(member) if tile.detail and url else "",
            }
        )
    return shown
