import pytest

from core.french import de, le, starts_with_vowel_sound


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Habitat Hauts-de-France", "d'Habitat Hauts-de-France"),
        ("l'OPH d'Aubervilliers", "de l'OPH d'Aubervilliers"),
        ("OPH d'Aubervilliers", "d'OPH d'Aubervilliers"),
        ("octobre 2026", "d'octobre 2026"),
        ("novembre 2026", "de novembre 2026"),
        ("avril", "d'avril"),
        ("Le Logement Auvergnat", "du Logement Auvergnat"),
        ("les Offices réunis", "des Offices réunis"),
        ("la Régie", "de la Régie"),
        ("Hauts-de-Seine Habitat", "de Hauts-de-Seine Habitat"),
        ("Émeraude Habitation", "d'Émeraude Habitation"),
    ],
)
def test_de_elides_before_a_vowel_sound_and_contracts_articles(phrase, expected):
    assert de(phrase) == expected


def test_le_elides_and_takes_the_gender():
    assert le("OPH") == "l'OPH"
    assert le("bailleur") == "le bailleur"
    assert le("société", feminine=True) == "la société"


def test_an_empty_word_does_not_elide():
    assert not starts_with_vowel_sound("")
