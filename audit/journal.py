"""Reading the journal: its CSV export (itself journaled) and the "voir comme" record."""

import io
import itertools

from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record
from core.csv import write_rows

HEADER = [
    "Date",
    "Action",
    "Auteur",
    "Type d'auteur",
    "Compte",
    "Connexion concernée",
    "Motif",
    "Adresse IP",
]


def journal_rows(events) -> str:
    """The events as a CSV a French spreadsheet opens (semicolons, UTF-8 with BOM)."""
    out = io.StringIO()
    out.write("\ufeff")
    rows = (
        [
            f"{timezone.localtime(event.created_at):%d/%m/%Y %H:%M:%S}",
            event.action_label,
            event.actor.email if event.actor else "",
            event.get_actor_kind_display(),
            event.account.number if event.account else "",
            event.subject_user.email if event.subject_user else "",
            event.reason,
            event.ip,
        ]
        for event in events.select_related("actor", "account", "subject_user").iterator()
    )
    # Every cell formula-safe (core.csv), as in every export.
    write_rows(out, itertools.chain([HEADER], rows))
    return out.getvalue()


def audit_journal_export(request, filters: dict) -> AuditEvent:
    shown = {name: str(value) for name, value in filters.items() if value not in (None, "")}
    return record("journal.exported", request=request, detail={"filtres": shown})


def audit_view_as(request, account) -> AuditEvent:
    return record("tenant.viewed_as", request=request, account=account)
