"""Password rules: each landlord's published rule, never below the security floor.

The floor (CNIL délibération 2022-100, OWASP ASVS): at least 12 characters, or 8
when the landlord insists and at least three kinds of characters are required.
"""

import string

from django.db import models

MIN_LENGTH_FLOOR = 12
MIN_LENGTH_WITH_THREE_KINDS = 8
MAX_LENGTH = 128


class CharacterKinds(models.TextChoices):
    NONE = "none", "aucune exigence"
    THREE_OF_FOUR = "three_of_four", "au moins trois types de caractères parmi quatre"
    UPPER_LOWER_DIGIT = "upper_lower_digit", "majuscules, minuscules et au moins un chiffre"
    ALL_FOUR = "all_four", "minuscule, majuscule, chiffre et caractère spécial"


# How many kinds each rule guarantees, for the floor.
GUARANTEED_KINDS = {
    CharacterKinds.NONE: 0,
    CharacterKinds.THREE_OF_FOUR: 3,
    CharacterKinds.UPPER_LOWER_DIGIT: 3,
    CharacterKinds.ALL_FOUR: 4,
}
RULES_ALLOWING_SHORT_PASSWORDS = [kind for kind, count in GUARANTEED_KINDS.items() if count >= 3]


def _kinds_present(password: str) -> dict[str, bool]:
    return {
        "lower": any(c.islower() for c in password),
        "upper": any(c.isupper() for c in password),
        "digit": any(c in string.digits for c in password),
        "special": any(not c.isalnum() for c in password),
    }


def password_problems(password: str, min_length: int, kinds: str) -> list[str]:
    """The French messages a tenant sees for a password that breaks the rule."""
    problems = []
    if len(password) < min_length:
        problems.append(f"Le mot de passe doit faire au moins {min_length} caractères.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Le mot de passe doit faire au plus {MAX_LENGTH} caractères.")
    present = _kinds_present(password)
    if kinds == CharacterKinds.THREE_OF_FOUR and sum(present.values()) < 3:
        problems.append(
            "Le mot de passe doit contenir au moins trois types de caractères parmi : "
            "majuscules, minuscules, chiffres, caractères spéciaux."
        )
    elif kinds == CharacterKinds.UPPER_LOWER_DIGIT and not (
        present["lower"] and present["upper"] and present["digit"]
    ):
        problems.append(
            "Le mot de passe doit contenir des majuscules, des minuscules et au moins un chiffre."
        )
    elif kinds == CharacterKinds.ALL_FOUR and not all(present.values()):
        problems.append(
            "Le mot de passe doit contenir au moins une minuscule, une majuscule, "
            "un chiffre et un caractère spécial."
        )
    return problems


# The hint shown before typing: each kind named, as the landlords' guides do.
KINDS_HINT = {
    CharacterKinds.THREE_OF_FOUR: (
        "au moins trois types de caractères parmi les quatre suivants : lettres majuscules, "
        "lettres minuscules, chiffres, caractères spéciaux (@, ], *, &…)"
    ),
    CharacterKinds.UPPER_LOWER_DIGIT: "des majuscules, des minuscules et au moins un chiffre",
    CharacterKinds.ALL_FOUR: (
        "au moins une minuscule, une majuscule, un chiffre et un caractère spécial (!, @…)"
    ),
}


def floor_for(kinds: str) -> int:
    """The shortest length the security floor allows with this rule of kinds."""
    if kinds in RULES_ALLOWING_SHORT_PASSWORDS:
        return MIN_LENGTH_WITH_THREE_KINDS
    return MIN_LENGTH_FLOOR


def rule_text(min_length: int, kinds: str) -> str:
    text = f"Au moins {min_length} caractères"
    if kinds != CharacterKinds.NONE:
        text += f", dont {KINDS_HINT[CharacterKinds(kinds)]}"
    return text + "."
