import datetime
import json
import re
from pathlib import Path

import pytest

from core import french
from landlords.models import Landlord
from notifications.emails import landlord_from_address
from tests.factories import LandlordFactory

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "demo/data/landlords.json").read_text())


@pytest.mark.parametrize("config", DEMO, ids=[c["slug"] for c in DEMO])
def test_every_demo_landlord_name_reads_right_after_de(config):
    landlord = Landlord(name=config["name"], name_with_article=config.get("name_with_article", ""))
    expected = {
        "hmp": "d'Habitat Marseille Provence",
        "hdf": "d'Habitat Hauts-de-France",
        "auvergne": "d'Auvergne Habitat",
        "aubervilliers": "de l'OPH d'Aubervilliers",
    }
    assert landlord.of_name == expected[config["slug"]]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_reads_right_after_de(month):
    text = french.of_month(datetime.date(2026, month, 1))
    name = french.MONTHS[month - 1]
    assert text == (f"d'{name} 2026" if name[0] in "aeiou" else f"de {name} 2026")


def test_no_template_writes_de_before_a_landlord_name_or_a_month():
    pattern = re.compile(r"\b(de|à) \{\{ ?[\w.]*landlord\.name ?\}\}|\bde \{\{ ?[\w.]+\|date:\"F")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("templates", "backoffice")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt"} and pattern.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.django_db
def test_emails_leave_from_the_landlords_own_address_or_the_platforms(settings):
    settings.DEFAULT_FROM_EMAIL = "Espace Locataire <ne-pas-repondre@plateforme.example>"
    own = LandlordFactory(
        name="OPH d'Aubervilliers", from_email="informatique@oph-aubervilliers.fr"
    )
    other = LandlordFactory(name="Auvergne Habitat")

    assert landlord_from_address(own).endswith("<informatique@oph-aubervilliers.fr>")
    assert landlord_from_address(other).endswith("<ne-pas-repondre@plateforme.example>")


def test_the_three_of_four_rule_names_the_four_kinds_at_the_floor_length():
    landlord = Landlord(password_min_length=8, password_character_kinds="three_of_four")
    assert landlord.password_rule_text == (
        "Au moins 8 caractères, dont au moins trois types de caractères parmi les quatre "
        "suivants : lettres majuscules, lettres minuscules, chiffres, caractères spéciaux "
        "(@, ], *, &…)."
    )
    aubervilliers = next(c for c in DEMO if c["slug"] == "aubervilliers")
    assert aubervilliers["password_min_length"] == 8


def test_landlord_words_default_and_override():
    assert Landlord(wording={"login_submit": "ME CONNECTER"}).word("login_submit") == "ME CONNECTER"
    assert Landlord().word("login_submit") == "Se connecter"
    assert Landlord().data_protection_text
