import pytest

from tenancies.names import normalize_name


@pytest.mark.parametrize(
    ("typed", "on_file"),
    [
        ("colin nadege", "COLIN Nadège"),
        ("  Colin   NADÈGE ", "COLIN Nadège"),
        ("jean pierre", "Jean-Pierre"),
        ("d ornano", "D'ORNANO"),
        ("d'ornano", "D’Ornano"),
        ("Lefèvre-Dupont", "LEFEVRE DUPONT"),
    ],
)
def test_names_match_whatever_case_accents_hyphens_apostrophes_and_spaces(typed, on_file):
    assert normalize_name(typed) == normalize_name(on_file)


def test_different_names_do_not_match():
    assert normalize_name("Colin") != normalize_name("Collin")
