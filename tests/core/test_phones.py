import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.forms import parse_french_phone
from core import phones
from tenancies.erpfiles import parse_phone

# What the ERP import refuses, a tenant cannot type either (and the other way round).
REFUSED_MOBILES = [
    "01 23 45 67 89",  # a landline
    "+32 470 12 34 56",  # a Belgian mobile
    "06 12 34 56 78 ext. 12",  # an extension
    "06 12",  # too short
    "pas un numéro",
]


@pytest.mark.parametrize("typed", REFUSED_MOBILES)
def test_a_mobile_the_import_refuses_is_refused_in_the_forms_too(typed):
    with pytest.raises(ValueError):
        parse_phone(typed, mobile=True)
    with pytest.raises(ValidationError):
        parse_french_phone(typed, mobile=True)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("07 81 23 45 67", "+33781234567"),
        ("+262 692 12 34 56", "+262692123456"),  # La Réunion
    ],
)
def test_a_french_mobile_is_stored_the_same_way_from_a_form_or_an_import(typed, e164):
    assert parse_phone(typed, mobile=True) == e164
    assert parse_french_phone(typed, mobile=True) == e164


def test_each_reader_is_told_the_problem_in_their_own_words():
    with pytest.raises(ValidationError, match="portable"):
        parse_french_phone("01 23 45 67 89", mobile=True)
    with pytest.raises(ValueError, match="n'est pas un numéro de mobile"):
        parse_phone("01 23 45 67 89", mobile=True)
    with pytest.raises(ValidationError, match="français"):
        parse_french_phone("+32 470 12 34 56", mobile=False)


def test_a_number_is_shown_in_full_masked_or_partly_hidden():
    assert phones.national("+33612345661") == "06 12 34 56 61"
    assert phones.national("") == ""
    assert phones.masked("+33612345661") == "06*****61"
    assert phones.for_display("+33612345661") == "06 •• •• •• 61"


def french_looking_numbers():
    """Numbers written the plain ways (0…, +33…, spaces anywhere), and other text."""
    national = st.text(alphabet="0123456789", min_size=8, max_size=10)
    written = st.tuples(st.sampled_from(["0", "+33", "+330", "0033", ""]), national).map("".join)
    spaced = st.tuples(written, st.lists(st.integers(0, 14), max_size=5)).map(
        lambda parts: _spaced(*parts)
    )
    return spaced | st.text(alphabet="0123456789 +٠٦", max_size=14) | st.text(max_size=14)


def _spaced(number: str, positions: list[int]) -> str:
    for position in sorted(positions, reverse=True):
        number = number[:position] + " " + number[position:]
    return number


@settings(max_examples=2000, deadline=None)
@given(value=french_looking_numbers(), mobile=st.booleans())
def test_the_shortcut_for_plain_french_numbers_agrees_with_phonenumbers(value, mobile):
    shortcut = phones._plain_french(value, mobile)
    if shortcut is not None:
        assert phones._parsed(value, mobile) == shortcut


@pytest.mark.parametrize("typed", ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78"])
def test_the_usual_ways_of_writing_a_mobile_take_the_shortcut(typed):
    assert phones._plain_french(typed, mobile=True) == "+33612345678"


@settings(max_examples=3000, deadline=None)
@given(national=st.from_regex(r"[1-9][0-9]{7,9}", fullmatch=True))
def test_the_type_of_a_french_number_is_the_one_phonenumbers_tells(national):
    # One pattern tried for all the types of a length gives the first type in
    # phonenumbers' order, as trying each type's pattern in turn does.
    number = phonenumbers.parse("+33" + national)
    assert phones._type_of(national) == phonenumbers.number_type(number)
