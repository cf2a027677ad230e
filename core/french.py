"""French articles and elision: "d'Habitat", "de l'OPH", "d'octobre", "du Grand Lyon".

One helper for every template, email and PDF: a landlord's name is stored with the article
it takes ("l'OPH d'Aubervilliers", "Habitat Hauts-de-France"), and `de()` joins it to "de".
"""

from __future__ import annotations

import datetime

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")

# Words whose "h" is aspirated: no elision before them ("de Hauts-de-Seine Habitat").
_ASPIRATED_H = frozenset({"haut", "hauts", "haute", "hautes", "hall", "halle", "hameau", "havre"})


def starts_with_vowel_sound(word: str) -> bool:
    """Whether "de" / "le" elide before `word` (a vowel or a silent "h")."""
    if not word:
        return False
    first = word[0].lower()
    if first in _VOWELS:
        return True
    if first == "h":
        head = word.split()[0].split("-")[0].lower().strip(".,'’")
        return head not in _ASPIRATED_H
    return False


def de(phrase: str) -> str:
    """ "de" joined to `phrase`: "d'Habitat…", "de l'OPH…", "du Logement…", "des Offices…"."""
    phrase = phrase.strip()
    lowered = phrase.lower()
    if lowered.startswith("le "):
        return "du " + phrase[3:]
    if lowered.startswith("les "):
        return "des " + phrase[4:]
    if starts_with_vowel_sound(phrase):
        return "d'" + phrase
    return "de " + phrase


def le(phrase: str, feminine: bool = False) -> str:
    """The definite article before `phrase`: "l'OPH", "le bailleur", "la société"."""
    phrase = phrase.strip()
    if starts_with_vowel_sound(phrase):
        return "l'" + phrase
    return ("la " if feminine else "le ") + phrase


def capitalize_first(phrase: str) -> str:
    """The first letter in upper case, the rest untouched: "l'OPH" -> "L'OPH"."""
    return phrase[:1].upper() + phrase[1:]


def a(phrase: str) -> str:
    """ "à" joined to `phrase`: "à l'OPH…", "au Logement…", "aux Offices…", "à Habitat…"."""
    phrase = phrase.strip()
    lowered = phrase.lower()
    if lowered.startswith("le "):
        return "au " + phrase[3:]
    if lowered.startswith("les "):
        return "aux " + phrase[4:]
    return "à " + phrase


def month_name(day: datetime.date) -> str:
    """ "octobre 2026" (the month and year of `day`, in French)."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def of_month(day: datetime.date) -> str:
    """ "d'octobre 2026", "de novembre 2026"."""
    return de(month_name(day))


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
