"""Closed months of a landlord's ledger: a month's notices exist only once it is closed.

A month is closed when the ledger import that says it completes the month has finished
(`import_ledger --closes-period AAAA-MM`, or "Mois complété par ce fichier" in the espace
agence's upload), or when staff close it in the espace agence (`close_by_staff`). Until
then Mes documents says when the notice is expected: `expected_closing`, the landlord's
`ledger_closing_day` of that month (the day its ERP usually posts the month).

A corrective import for a month already closed, which changes what the month's notice
states, closes it again as a new version (`version` + 1): `period_reclosed` is sent once
the import is committed, and the documents app issues the notices again (keeping the
earlier ones) and tells the tenants who had downloaded them. The same file again changes
nothing. Closing a month twice by hand is refused (`PeriodAlreadyClosed`).
"""

import datetime

import django.dispatch
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format

import audit
from billing.models import LedgerPeriod
from billing.vocabulary import day_text
from core.french import de
from landlords.models import Landlord

# Sent once the transaction that closed a month again is committed:
# sender=LedgerPeriod, closing=<LedgerPeriod>, previous_version=<int>.
period_reclosed = django.dispatch.Signal()


class PeriodAlreadyClosed(Exception):
    """Closing a month already closed: `message` says since when, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PeriodNotClosable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _month(period: datetime.date) -> str:
    return date_format(period, "F Y")


def closing(landlord: Landlord, period: datetime.date) -> LedgerPeriod | None:
    return LedgerPeriod.objects.filter(landlord=landlord, period=period).first()


# Every Mes documents reads its landlord's closed months: kept in the shared cache, and
# forgotten as soon as one is saved or deleted (the receivers below).
CLOSINGS_CACHE_SECONDS = 600


def _closings_key(landlord_pk: int) -> str:
    return f"ledger-closings:v1:{landlord_pk}"


def closings(landlord: Landlord) -> dict[datetime.date, LedgerPeriod]:
    key = _closings_key(landlord.pk)
    found = cache.get(key)
    if found is None:
        found = {c.period: c for c in LedgerPeriod.objects.filter(landlord=landlord)}
        cache.set(key, found, CLOSINGS_CACHE_SECONDS)
    return found


@receiver(post_save, sender=LedgerPeriod, dispatch_uid="billing.periods.closing_saved")
@receiver(post_delete, sender=LedgerPeriod, dispatch_uid="billing.periods.closing_deleted")
def _closing_changed(sender, instance, **kwargs):
    key = _closings_key(instance.landlord_id)
    cache.delete(key)
    # Again once committed: a page read between the change and the commit cached the old.
    transaction.on_commit(lambda: cache.delete(key))


def expected_closing(landlord: Landlord, period: datetime.date) -> datetime.date:
    """When the month is expected to close: the landlord's `ledger_closing_day` of it."""
    return period.replace(day=landlord.ledger_closing_day)


def not_yet_closed_message(landlord: Landlord, period: datetime.date, today) -> str:
    """What Mes documents says of a month whose notice does not exist yet."""
    expected = expected_closing(landlord, period)
    if today < expected:
        return (
            f"Votre avis d'échéance {de(_month(period))} sera disponible après le "
            f"{day_text(expected)}, quand {landlord.name} aura enregistré toutes les "
            "écritures du mois."
        )
    return (
        f"Votre avis d'échéance {de(_month(period))} sera disponible après le "
        f"{day_text(expected)} : "
        f"{landlord.name} n'a pas encore enregistré toutes les écritures du mois ; "
        "il le sera dès qu'elles le seront."
    )


def _already_closed(found: LedgerPeriod) -> PeriodAlreadyClosed:
    how = (
        f"par l'import « {found.file_name} »"
        if found.source == LedgerPeriod.Source.IMPORT and found.file_name
        else found.get_source_display()
    )
    return PeriodAlreadyClosed(
        f"{_month(found.period).capitalize()} est déjà clos depuis le "
        f"{found.closed_on:%d/%m/%Y} ({how}, version {found.version}) : rien n'a été changé."
    )


def close_by_staff(landlord: Landlord, period: datetime.date, *, request) -> LedgerPeriod:
    """Close the month by hand (espace agence); refused when it is already closed or to come."""
    today = timezone.localdate()
    if period > today.replace(day=1):
        raise PeriodNotClosable(
            f"{_month(period).capitalize()} n'a pas commencé : il ne peut pas être clos. "
            "Rien n'a été changé."
        )
    with transaction.atomic():
        # The landlord's row lock: the same one as the ledger import's.
        Landlord.objects.select_for_update().filter(pk=landlord.pk).exists()
        found = closing(landlord, period)
        if found is not None:
            raise _already_closed(found)
        closed = LedgerPeriod.objects.create(
            landlord=landlord,
            period=period,
            closed_on=today,
            source=LedgerPeriod.Source.STAFF,
            closed_by=request.user,
        )
        audit.record(
            "ledger.period_closed",
            request=request,
            landlord=landlord,
            target=closed,
            detail={"mois": f"{period:%Y-%m}", "version": 1, "par": "agence"},
        )
    return closed


def close_from_import(
    landlord: Landlord,
    period: datetime.date,
    *,
    changed: bool,
    file_name: str = "",
    user=None,
    on: datetime.date | None = None,
) -> tuple[LedgerPeriod, str]:
    """Close the month the import completes, inside the import's transaction.

    `changed`: the import created or changed entries that the month's notice states. The
    closing and a French sentence for the report."""
    on = on or timezone.localdate()
    found = closing(landlord, period)
    if found is None:
        closed = LedgerPeriod.objects.create(
            landlord=landlord,
            period=period,
            closed_on=on,
            source=LedgerPeriod.Source.IMPORT,
            closed_by=user,
            file_name=file_name[:255],
        )
        audit.record(
            "ledger.period_closed",
            landlord=landlord,
            actor=user,
            target=closed,
            detail={"mois": f"{period:%Y-%m}", "version": 1, "fichier": file_name},
        )
        return closed, f"{_month(period).capitalize()} est clos : ses avis d'échéance sont émis."
    if not changed:
        return found, (
            f"{_month(period).capitalize()} était déjà clos (version {found.version}) et ce "
            "fichier n'y change rien : ses avis restent les mêmes."
        )
    previous = found.version
    found.version += 1
    found.closed_on = on
    found.closed_at = timezone.now()
    found.source = LedgerPeriod.Source.IMPORT
    found.closed_by = user
    found.file_name = file_name[:255]
    found.save()
    audit.record(
        "ledger.period_reclosed",
        landlord=landlord,
        actor=user,
        target=found,
        detail={"mois": f"{period:%Y-%m}", "version": found.version, "fichier": file_name},
    )
    transaction.on_commit(
        lambda: period_reclosed.send(sender=LedgerPeriod, closing=found, previous_version=previous)
    )
    return found, (
        f"{_month(period).capitalize()} est clos à nouveau (version {found.version}) : ses "
        "avis d'échéance sont émis à nouveau, les locataires qui avaient téléchargé "
        "l'ancienne version sont prévenus."
    )
