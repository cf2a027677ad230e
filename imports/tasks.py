"""The import of an uploaded ERP file, as a background task (`manage.py db_worker`)."""

from django_tasks import task

from imports import services


@task()
def run_import(run_id: int) -> None:
    services.execute(run_id)
