"""A message ("Vos numéros … sont enregistrés.") is shown once, on the next page."""

import pytest

from tests.accounts.conftest import text_of
from tests.accounts.test_profile import change_phones, get, signed_in

pytestmark = pytest.mark.django_db

SAVED = "Vos numéros de téléphone sont enregistrés."


@pytest.fixture
def browser(tenant):
    return signed_in(tenant("aubervilliers", email="jean@exemple.com"))


def test_a_message_is_shown_once_on_the_next_page(browser):
    change_phones(browser, landline="01 48 11 22 33")

    assert text_of(get(browser, "/mon-compte/mes-infos/")).count(SAVED) == 1
    assert SAVED not in text_of(get(browser, "/mon-compte/mes-infos/"))
    assert SAVED not in text_of(get(browser, "/mon-compte/"))


def test_a_message_is_shown_on_a_page_without_one_of_its_own_and_not_kept_for_later(browser):
    # The phones form never showed messages: they waited there to pile up on Mon compte.
    change_phones(browser, landline="01 48 11 22 33")

    assert text_of(get(browser, "/mon-compte/mes-infos/telephones/")).count(SAVED) == 1
    assert SAVED not in text_of(get(browser, "/mon-compte/"))
