"""Reading the journal: its CSV export (itself journaled) and the "voir comme" record."""

import csv
import io

from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record
from core.csv import safe_cell

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
# A cell starting with one of these is a formula to a spreadsheet (CSV injection); the same
# rule as billing/exports.py, kept here so that audit stays below the domain apps.


_cell = safe_cell


def journal_rows(events) -> str:
    """The events as a CSV a French spreadsheet opens (semicolons, UTF-8 with BOM)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for event in events.select_related("actor", "account", "subject_user").iterator():
        writer.writerow(
            [
                _cell(f"{timezone.localtime(event.created_at):%d/%m/%Y %H:%M:%S}"),
                _cell(event.action_label),
                _cell(event.actor.email if event.actor else ""),
                _cell(event.get_actor_kind_display()),
                _cell(event.account.number if event.account else ""),
                _cell(event.subject_user.email if event.subject_user else ""),
                _cell(event.reason),
                _cell(event.ip),
            ]
        )
    return out.getvalue()


def audit_journal_export(request, filters: dict) -> AuditEvent:
    shown = {name: str(value) for name, value in filters.items() if value not in (None, "")}
    return record("journal.exported", request=request, detail={"filtres": shown})


def audit_view_as(request, account) -> AuditEvent:
    return record("tenant.viewed_as", request=request, account=account)
