import threading

import pytest
from django.db import connection, transaction

from landlords.models import Landlord
from tenancies.imports import import_accounts
from tests.factories import AgencyFactory, LandlordFactory
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
