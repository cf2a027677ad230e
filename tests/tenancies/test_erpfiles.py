import csv

from hypothesis import given
from hypothesis import strategies as st

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
