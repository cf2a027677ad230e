"""Mon compte's latest actualités come from the cache, and no tenant sees a change late:
saved, withdrawn or deleted, read, or scheduled (then within a minute of its time)."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from freezegun import freeze_time

from landlords.models import Landlord
from news import latest
from news.models import NewsItem
from tests.factories import NewsItemFactory

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"
NOON = datetime.datetime(2026, 11, 16, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def reader(tenant):
    client = Client(HTTP_HOST=HOST)
    client.force_login(tenant("hmp"))
    return client


def mon_compte(client) -> str:
    response = client.get("/mon-compte/")
    assert response.status_code == 200
    return response.text


def test_an_item_saved_or_withdrawn_shows_on_the_next_page(reader):
    hmp = Landlord.objects.get(slug="hmp")
    assert "Coupure" not in mon_compte(reader)  # the empty list now in the cache

    item = NewsItemFactory(landlord=hmp, title="Coupure d'eau", published=True)
    assert "Coupure d&#x27;eau" in mon_compte(reader)

    item.state = NewsItem.State.WITHDRAWN
    item.save()
    assert "Coupure" not in mon_compte(reader)


def test_an_item_deleted_is_gone_from_the_next_page(reader):
    item = NewsItemFactory(landlord=Landlord.objects.get(slug="hmp"), published=True)
    assert item.title in mon_compte(reader)

    item.delete()

    assert item.title not in mon_compte(reader)


def test_an_item_read_is_no_longer_new_on_the_next_page(reader):
    NewsItemFactory(landlord=Landlord.objects.get(slug="hmp"), published=True)
    assert "1 nouvelle" in mon_compte(reader)

    reader.get("/actualites/")

    assert "1 nouvelle" not in mon_compte(reader)


def test_a_scheduled_item_shows_within_a_minute_of_its_time(reader):
    with freeze_time(NOON) as clock:
        NewsItemFactory(
            landlord=Landlord.objects.get(slug="hmp"),
            title="Assemblée des locataires",
            state=NewsItem.State.PUBLISHED,
            publish_at=NOON + datetime.timedelta(minutes=5),
        )
        clock.tick(4 * 60 + 50)
        assert "Assemblée" not in mon_compte(reader)

        clock.tick(10 + latest.CACHE_SECONDS)
        assert "Assemblée" in mon_compte(reader)


def test_a_change_replaces_the_generation_again_once_committed(
    django_capture_on_commit_callbacks,
):
    item = NewsItemFactory(published=True)
    key = latest._generation_key(item.landlord_id)

    with django_capture_on_commit_callbacks() as callbacks:
        item.save()
    at_the_save = cache.get(key)
    for callback in callbacks:
        callback()

    assert at_the_save is not None and cache.get(key) != at_the_save
