import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from landlords.colors import contrast_ratio
from landlords.passwords import CharacterKinds
from tests.factories import LandlordFactory

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_brand_colour_too_light_for_white_text_is_refused():
    landlord = LandlordFactory.build(brand_color="#7fb2e5")

    with pytest.raises(ValidationError) as error:
        landlord.clean()

    assert "Contraste insuffisant" in error.value.message_dict["brand_color"][0]


def test_invalid_account_number_pattern_is_refused():
    landlord = LandlordFactory.build(account_number_pattern="(02\\d{11}")

    with pytest.raises(ValidationError) as error:
        landlord.clean()

    assert "Expression régulière invalide" in error.value.message_dict["account_number_pattern"][0]


@pytest.mark.parametrize(
    ("pattern", "number", "valid"),
    [
        (r"02\d{11}", "0212345678901", True),
        (r"02\d{11}", "0312345678901", False),
        (r"02\d{11}", "02123456789012", False),
        (r"\d{15}", "590000000012345", True),
        (r"\d{15}", "59000000001234", False),
        (r"\d{6}", "000123\n", False),
    ],
)
def test_account_number_must_match_the_whole_pattern(pattern, number, valid):
    landlord = LandlordFactory.build(account_number_pattern=pattern)

    assert landlord.account_number_is_valid(number) is valid


@pytest.mark.parametrize(
    ("min_length", "kinds"),
    [
        (11, CharacterKinds.NONE),
        (7, CharacterKinds.ALL_FOUR),
        (8, CharacterKinds.NONE),
        (129, "none"),
    ],
)
def test_database_refuses_a_password_rule_below_the_floor(min_length, kinds):
    with pytest.raises(IntegrityError):
        LandlordFactory(password_min_length=min_length, password_character_kinds=kinds)


def test_eight_characters_are_allowed_only_with_three_kinds_required():
    landlord = LandlordFactory(password_min_length=8, password_character_kinds="upper_lower_digit")

    assert landlord.password_problems("Loyer2026") == []
    assert landlord.password_problems("loyer2026") == [
        "Le mot de passe doit contenir des majuscules, des minuscules et au moins un chiffre."
    ]
    assert landlord.password_rule_text == (
        "Au moins 8 caractères, dont des majuscules, des minuscules et au moins un chiffre."
    )


@pytest.mark.parametrize(
    ("kinds", "password", "accepted"),
    [
        ("three_of_four", "loyer-2026-ok", True),
        ("three_of_four", "loyerdejuillet", False),
        ("all_four", "Loyer-2026!", True),
        ("all_four", "Loyer2026Ok", False),
        ("none", "mon loyer est payé", True),
        ("none", "court", False),
    ],
)
def test_each_seed_password_rule(kinds, password, accepted):
    min_length = 12 if kinds in ("none", "three_of_four") else 8
    landlord = LandlordFactory.build(password_min_length=min_length, password_character_kinds=kinds)

    assert (landlord.password_problems(password) == []) is accepted


def test_password_longer_than_128_characters_is_refused():
    landlord = LandlordFactory.build()

    assert landlord.password_problems("a" * 129) == [
        "Le mot de passe doit faire au plus 128 caractères."
    ]
