import pytest
from django.core.exceptions import ValidationError

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
