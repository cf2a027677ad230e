"""Background tasks of Mes documents (run by `manage.py db_worker`)."""

import datetime

from django_tasks import task

from billing.models import LedgerPeriod
from documents import generation
from documents.versions import tell_downloaders


@task()
def generate_notices(account_ids: list[int], period: str) -> int:
    """One chunk of the month's notices (see documents.generation)."""
    return generation.generate_chunk(account_ids, datetime.date.fromisoformat(period))


def on_period_reclosed(sender, closing: LedgerPeriod, previous_version: int, **kwargs) -> None:
    """A month closed again (billing.periods.period_reclosed): tell who downloaded the
    replaced notices, and queue the new version's generation."""
    tell_downloaders(closing)
    pending = generation.pending_account_ids(closing.period, closing.landlord)
    for chunk in generation.chunks(pending):
        generate_notices.enqueue(chunk, closing.period.isoformat())
