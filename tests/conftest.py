from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import get_resolver

from demo.loading import load_demo_landlords
from tests.factories import AccessFactory, AgencyFactory, LandlordFactory

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"


@pytest.fixture(scope="session", autouse=True)
def urls_loaded_before_any_frozen_clock():
    """The API's schemas are built from `datetime.date` when the URLs are first loaded: under
    a test's frozen clock pydantic would get freezegun's stand-in and fail."""
    for urlconf in [settings.ROOT_URLCONF, settings.PLATFORM_URLCONF]:
        get_resolver(urlconf).url_patterns  # noqa: B018


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgresql") and connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def outbox_in_tmp(settings, tmp_path):
    """Each test reads only its own messages: the project's var/outbox keeps the demo's
    (and a run with the clock moved ahead would leave files that sort last)."""
    settings.OUTBOX_DIR = tmp_path / "outbox"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def landlord(db):
    """A landlord shaped like Habitat Marseille Provence, with the agencies of the samples."""
    landlord = LandlordFactory(
        slug="hmp",
        name="Habitat Marseille Provence",
        account_number_label="Numéro de compte client",
        account_number_help="Disponible sur votre avis de loyer",
        account_number_pattern=r"\d{6}",
    )
    AgencyFactory(landlord=landlord, code="NORD", name="Agence Marseille Nord")
    AgencyFactory(landlord=landlord, code="SUD", name="Agence Marseille Sud")
    return landlord


@pytest.fixture
def sample_path():
    return SAMPLES.__truediv__


@pytest.fixture
def demo(db):
    load_demo_landlords()


@pytest.fixture
def make_tenant():
    """A verified login for a demo identity (demo landlords loaded): make_tenant("hdf")."""
    from tenancies.models import Signatory

    numbers = {
        "hmp": "000123",
        "hdf": "590000000012345",
        "auvergne": "0212345678901",
        "aubervilliers": "123456",
    }

    def make(slug, email=None, password="Loyer-Payé-2026"):
        signatory = Signatory.objects.filter(
            lease__account__landlord__slug=slug, lease__account__number=numbers[slug]
        ).order_by("position")[0]
        access = AccessFactory(
            user__email=email or f"{slug}@exemple.com", user__password=password, signatory=signatory
        )
        return access.user

    return make


@pytest.fixture
def tenant(demo, make_tenant):
    return make_tenant


@pytest.fixture
def vapid(settings):
    """The deployment's VAPID keys (Web Push); the public key, as a page receives it."""
    from notifications import push
    from notifications.vapid import new_private_key

    settings.VAPID_PRIVATE_KEY = new_private_key()
    settings.VAPID_SUBJECT = "mailto:exploitation@exemple.fr"
    settings.PUSH_ALLOW_HTTP_ENDPOINTS = True
    return push.public_key()


@pytest.fixture
def push_service():
    """A local push service speaking the Web Push protocol (tests/notifications/push_service.py)."""
    from tests.notifications.push_service import PushService

    service = PushService()
    with service.running():
        yield service
