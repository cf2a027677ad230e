from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import AgencyFactory, LandlordFactory

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
