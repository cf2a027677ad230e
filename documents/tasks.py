"""Background tasks of Mes documents (run by `manage.py db_worker`)."""

import datetime

from django_tasks import task

from documents import generation


@task()
def generate_notices(account_ids: list[int], period: str) -> int:
    """One chunk of the month's notices (see documents.generation)."""
    return generation.generate_chunk(account_ids, datetime.date.fromisoformat(period))
