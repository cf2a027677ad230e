"""Figures and files made of requests: the monthly share answered within the promised
time, and the rows of the CSV exports (staff and ERP)."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from servicerequests.models import ServiceRequest

# A cell starting with one of these is a formula to a spreadsheet (CSV injection).


@dataclass
class Month:
    month: datetime.date
    total: int
    in_time: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.in_time / self.total) if self.total else None


def answered_in_time_by_month(requests: QuerySet[ServiceRequest], months: int = 12) -> list[Month]:
    """For each of the last `months` months (by the month a request was sent, Paris time),
    how many requests were sent and how many were answered within the promised time."""
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        requests.filter(created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            total=Count("pk"),
            in_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        )
    )
    found = {row["month"].date(): row for row in rows}
    result = []
    month = first
    while month <= today:
        row = found.get(month, {"total": 0, "in_time": 0})
        result.append(Month(month, row["total"], row["in_time"]))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return list(reversed(result))


HEADER = [
    "Identifiant",
    "Référence",
    "Compte",
    "Agence",
    "Famille",
    "Catégorie",
    "Concerne",
    "État",
    "Date d'intervention",
    "Envoyée le",
    "Réponse promise avant le",
    "Première réponse le",
    "En retard",
    "Modifiée le",
    "Suivie par",
    "Où",
    "Disponibilités",
    "Description",
    "Note",
    "Référence ERP",
]


def _when(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def rows(requests: Iterable[ServiceRequest]) -> Iterator[list[str]]:
    """A header, then one row per request: what the staff export and the ERP read (written
    formula-safe by core.csv.write_rows)."""
    yield HEADER
    now = timezone.now()
    for item in requests:
        yield [
            item.public_id,
            item.reference,
            item.account.number,
            item.account.agency.code if item.account.agency else "",
            item.category.family,
            item.category.name,
            item.category.scope,
            item.status,
            f"{item.intervention_date:%d/%m/%Y}" if item.intervention_date else "",
            _when(item.created_at),
            _when(item.due_at),
            _when(item.answered_at),
            "oui" if item.is_late(now) else "non",
            _when(item.updated_at),
            item.assigned_to.email if item.assigned_to else "",
            item.location,
            item.availability,
            item.description,
            str(item.rating or ""),
            item.erp_reference,
        ]
