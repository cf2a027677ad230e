"""core.csv: the one rule that makes every exported cell safe to open in a spreadsheet."""

import io

import pytest

from core.csv import safe_cell, write_rows

# What a spreadsheet would run as a formula (or hide a formula behind).
FORMULAS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_cell_starting_like_a_formula_is_written_as_text(formula):
    assert safe_cell(formula) == f"'{formula}"


@pytest.mark.parametrize("amount", ["-12,00", "-1234,56", "12,00", "0", "-7"])
def test_an_amount_stays_a_number_the_spreadsheet_adds_up(amount):
    assert safe_cell(amount) == amount


def test_a_safe_cell_is_left_alone_and_making_it_safe_twice_changes_nothing():
    assert safe_cell("Loyer novembre") == "Loyer novembre"
    assert safe_cell(safe_cell("=1+1")) == "'=1+1"
    assert safe_cell(None) == "" and safe_cell(3) == "3"


def test_rows_are_written_in_the_erp_format_with_every_cell_safe():
    out = io.StringIO()
    write_rows(out, [["a", "=1+1", "-12,00"], ["@x", 5, None]])
    assert out.getvalue() == "a;'=1+1;-12,00\r\n'@x;5;\r\n"
