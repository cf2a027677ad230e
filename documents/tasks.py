"""Background tasks of Mes documents (run by `manage.py worker`)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from billing.models import LedgerPeriod
from core import outage
from documents import generation
from documents.versions import tell_downloaders

logger = logging.getLogger(__name__)

# While the storage refuses, a chunk waits and tries again (about a day in all); what it
# stored before is kept and never rendered again (generation skips stored notices).
STORAGE_RETRY_DELAYS = [datetime.timedelta(minutes=m) for m in (1, 2, 5, 10)]
STORAGE_MAX_ATTEMPTS = 150


@task()
def generate_notices(account_ids: list[int], period: str, attempt: int = 1) -> int:
    """One chunk of the month's notices (see documents.generation)."""
    try:
        return generation.generate_chunk(account_ids, datetime.date.fromisoformat(period))
    except outage.STORAGE_ERRORS as error:
        backend = generate_notices.get_backend()
        if attempt >= STORAGE_MAX_ATTEMPTS or not backend.supports_defer:
            raise
        delay = STORAGE_RETRY_DELAYS[min(attempt, len(STORAGE_RETRY_DELAYS)) - 1]
        generate_notices.using(run_after=timezone.now() + delay).enqueue(
            account_ids, period, attempt=attempt + 1
        )
        outage.note(
            "storage",
            "Document storage unavailable (%s): notice generation for %s paused, "
            "next attempt in %s",
            type(error).__name__,
            period,
            delay,
        )
        return 0


def on_period_reclosed(sender, closing: LedgerPeriod, previous_version: int, **kwargs) -> None:
    """A month closed again (billing.periods.period_reclosed): tell who downloaded the
    replaced notices, and queue the new version's generation."""
    tell_downloaders(closing)
    pending = generation.pending_account_ids(closing.period, closing.landlord)
    for chunk in generation.chunks(pending):
        generate_notices.enqueue(chunk, closing.period.isoformat())
