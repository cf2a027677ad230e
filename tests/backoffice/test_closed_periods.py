"""Espace agence: a month closed by the upload that completes it, or by hand (once)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from audit.models import AuditEvent
from billing.models import LedgerPeriod
from staff.roles import Role

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)
LEDGER = (
    "compte;reference;date;libelle;type;montant;periode;rubrique\n"
    "000123;CL-1;01/11/2026;Loyer;charge;412,30;11/2026;loyer\n"
)


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time("2026-11-20 09:00:00"):
        yield


@pytest.fixture
def accounting(agence, make_staff):
    client = agence("hmp", make_staff("hmp", Role.ACCOUNTING))
    LedgerPeriod.objects.all().delete()  # the demo's months are closed: start with none
    return client


def page(response):
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.text)))


def test_the_upload_says_which_month_it_completes(accounting):
    response = accounting.post(
        "/imports/",
        {
            "kind": "ledger",
            "encoding": "auto",
            "closes_period": "2026-11",
            "file": SimpleUploadedFile("ecritures.csv", LEDGER.encode()),
        },
        follow=True,
    )

    closing = LedgerPeriod.objects.get(period=NOVEMBER)
    assert response.status_code == 200
    assert "Novembre 2026 est clos : ses avis d'échéance sont émis." in page(response)
    assert (closing.version, closing.file_name, closing.source) == (1, "ecritures.csv", "import")


def test_an_accounts_file_completes_no_month(accounting):
    response = accounting.post(
        "/imports/",
        {
            "kind": "accounts",
            "encoding": "auto",
            "closes_period": "2026-11",
            "file": SimpleUploadedFile("comptes.csv", b"compte\n"),
        },
    )

    assert "Seul un fichier d'écritures complète un mois" in page(response)
    assert not LedgerPeriod.objects.exists()


def test_staff_close_a_month_once_and_it_is_journaled(accounting):
    closed = accounting.post("/imports/mois-clos/", {"period": "2026-11"}, follow=True)
    twice = accounting.post("/imports/mois-clos/", {"period": "2026-11"})

    assert "11/2026 est clos : ses avis d'échéance sont émis, datés du 20/11/2026." in page(closed)
    assert twice.status_code == 400
    assert (
        "Novembre 2026 est déjà clos depuis le 20/11/2026 (clôture par l'agence, version 1) : "
        "rien n'a été changé." in page(twice)
    )
    assert LedgerPeriod.objects.get().version == 1
    assert AuditEvent.objects.filter(action="ledger.period_closed").count() == 1


def test_a_month_to_come_cannot_be_closed(accounting):
    response = accounting.post("/imports/mois-clos/", {"period": "2026-12"})

    assert response.status_code == 400
    assert "n'a pas commencé" in page(response)
    assert not LedgerPeriod.objects.exists()


def test_an_agent_cannot_close_a_month(agence, make_staff):
    agent = agence("hmp", make_staff("hmp", Role.AGENT))
    LedgerPeriod.objects.all().delete()

    response = agent.post("/imports/mois-clos/", {"period": "2026-11"})

    assert response.status_code in (403, 404)
    assert not LedgerPeriod.objects.exists()
