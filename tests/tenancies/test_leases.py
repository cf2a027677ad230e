import datetime

import pytest

from tenancies.models import Lease
from tests.factories import LeaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "current"),
    [("2019-12-31", False), ("2020-01-01", True), ("2026-10-31", True), ("2026-11-01", False)],
)
def test_a_loaded_lease_and_the_query_agree_on_which_lease_is_current(day, current):
    lease = LeaseFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2026, 10, 31))
    on = datetime.date.fromisoformat(day)

    assert lease.is_current(on) is current
    assert Lease.objects.current(on).filter(pk=lease.pk).exists() is current
