import datetime
import threading

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from imports import services
from imports.models import ImportRun
from landlords.models import Landlord
from tenancies import imports as tenancies_imports
from tenancies.imports import import_accounts
from tests.factories import AgencyFactory, ImportRunFactory, LandlordFactory
from tests.postgresql import wait_for_blocked_locks

pytestmark = pytest.mark.postgresql


def test_two_imports_for_one_landlord_run_one_after_the_other(transactional_db, sample_path):
    landlord = LandlordFactory(slug="hmp")
    AgencyFactory(landlord=landlord, code="NORD")
    AgencyFactory(landlord=landlord, code="SUD")
    outcome = {}

    def second_import():
        try:
            with sample_path("comptes.csv").open("rb") as sample:
                outcome["report"] = import_accounts(landlord, sample)
        except Exception as exc:  # reported to the test thread below
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        Landlord.objects.select_for_update().get(pk=landlord.pk)
        other = threading.Thread(target=second_import)
        other.start()
        wait_for_blocked_locks()
        with sample_path("comptes.csv").open("rb") as sample:
            first = import_accounts(landlord, sample)
    other.join(timeout=30)

    assert first.created == 3
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def progress_seen_elsewhere(run_id: int) -> int:
    """The run's progress as the espace agence reads it: on a connection of its own."""
    seen = []

    def read():
        try:
            seen.append(ImportRun.objects.get(pk=run_id).progress_bytes)
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0]


def test_the_progress_of_a_run_is_seen_while_its_import_runs(
    transactional_db, sample_path, monkeypatch
):
    landlord = LandlordFactory(slug="hmp")
    AgencyFactory(landlord=landlord, code="NORD")
    AgencyFactory(landlord=landlord, code="SUD")
    content = sample_path("comptes.csv").read_bytes()
    run = ImportRunFactory(
        landlord=landlord,
        kind=ImportRun.Kind.ACCOUNTS,
        file_name="comptes.csv",
        stored_name=default_storage.save("imports/hmp/comptes.csv", ContentFile(content)),
        size_bytes=len(content),
    )
    # The progress written every two lines, new accounts stored two at a time.
    monkeypatch.setattr("tenancies.erpfiles.PROGRESS_EVERY_LINES", 2)
    monkeypatch.setattr(services, "PROGRESS_EVERY", datetime.timedelta(0))
    monkeypatch.setattr(tenancies_imports, "BATCH_ACCOUNTS", 2)
    seen = []
    insert_new = tenancies_imports._insert_new

    def watched(*args):
        seen.append(progress_seen_elsewhere(run.pk))
        insert_new(*args)

    monkeypatch.setattr(tenancies_imports, "_insert_new", watched)

    services.execute(run.pk)

    run.refresh_from_db()
    assert run.state == ImportRun.State.SUCCEEDED
    # While the import's transaction is open, the progress written is seen elsewhere.
    assert seen[0] > 0
