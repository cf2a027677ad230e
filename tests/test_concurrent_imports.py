import threading
import time

import pytest
from django.db import connection, transaction

from landlords.models import Landlord
from tenancies.imports import import_accounts
from tests.factories import AgencyFactory, LandlordFactory

pytestmark = pytest.mark.postgresql


@pytest.fixture(autouse=True)
def only_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


def wait_for_a_blocked_lock(timeout=10.0):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # Statistics are a snapshot per transaction unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second import never waited for the first one")


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
        wait_for_a_blocked_lock()
        with sample_path("comptes.csv").open("rb") as sample:
            first = import_accounts(landlord, sample)
    other.join(timeout=30)

    assert first.created == 3
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
