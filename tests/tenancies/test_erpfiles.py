import csv

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from tenancies import erpfiles
from tenancies.erpfiles import split_line


# The reader skips blank lines and splits lines at line breaks before it splits values.
def lines(alphabet):
    return st.text(alphabet=alphabet, min_size=1, max_size=60).filter(str.strip)


@given(lines(st.characters(exclude_characters='\r\n"\x00')))
def test_a_line_without_quotes_is_split_as_the_csv_module_reads_it(line):
    assert split_line(line) == next(csv.reader([line], delimiter=";", strict=True))


@given(lines(';a "'))
def test_a_line_with_quotes_is_read_by_the_csv_module(line):
    try:
        expected = next(csv.reader([line], delimiter=";", strict=True))
    except csv.Error:
        expected = None
    assert split_line(line) == expected


def email_looking_text():
    """Addresses as ERPs write them, and near misses (dots, dashes, accents, no TLD…)."""
    part = st.text(alphabet="aZ09.-_+!é", min_size=0, max_size=8)
    return st.tuples(part, st.lists(part, min_size=1, max_size=3)).map(
        lambda parts: parts[0] + "@" + ".".join(parts[1])
    ) | st.text(alphabet="a.@-", max_size=12)


@settings(max_examples=3000, deadline=None)
@given(value=email_looking_text())
def test_the_shortcut_for_usual_emails_only_takes_what_django_accepts(value):
    if erpfiles._PLAIN_EMAIL.fullmatch(value):
        validate_email(value)


@pytest.mark.parametrize(
    "value", ["jean.dupond@exemple.com", "Lea-2+erp@mail.exemple.fr", "o'brien@exemple.ie"]
)
def test_usual_emails_take_the_shortcut(value):
    assert erpfiles._PLAIN_EMAIL.fullmatch(value)
    assert erpfiles.parse_email(value) == value.lower()


@pytest.mark.parametrize("value", ["jean@exemple", "jean..d@exemple.fr", "jean@-x.fr"])
def test_addresses_the_shortcut_does_not_take_go_through_django(value):
    assert not erpfiles._PLAIN_EMAIL.fullmatch(value)
    with pytest.raises(ValidationError):
        validate_email(value)
    with pytest.raises(ValueError, match="n'est pas une adresse email valide"):
        erpfiles.parse_email(value)
