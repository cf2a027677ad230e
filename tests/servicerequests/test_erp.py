"""The ERP exchange: new and changed requests as CSV and through the token API; status
updates coming back, idempotently."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

from audit.models import AuditEvent
from servicerequests import services
from servicerequests.models import ServiceRequest, Status
from tests.servicerequests.conftest import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(demo):
    out = io.StringIO()
    call_command("create_api_token", "--landlord", "hmp", "--name", "ERP", stdout=out)
    return out.getvalue().strip()


def api(method, path, token=None, host="hmp.localhost", **data):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    client = Client()
    if method == "post":
        return client.post(
            f"/api/demandes{path}", data, content_type="application/json", HTTP_HOST=host, **headers
        )
    return client.get(f"/api/demandes{path}", data, HTTP_HOST=host, **headers)


@pytest.fixture
def sent(jean):
    with freeze_time("2026-01-05 09:00"):
        return services.create_request(
            account=jean.account, author=jean.user, category=category(), description="Froid"
        )


def test_the_erp_reads_new_and_changed_requests(sent, token, tenant):
    with freeze_time("2026-01-06 09:00"):
        services.change_status(sent, Status.TAKEN)

    everything = api("get", "/", token)
    since = api("get", "/", token, depuis="2026-01-06T10:00:00+01:00")

    assert everything.status_code == 200
    body = everything.json()
    assert [item["identifiant"] for item in body["demandes"]] == [sent.public_id]
    item = body["demandes"][0]
    assert item["compte"] == "000123"
    assert item["categorie"] == "Chauffage et eau chaude"
    assert item["etat"] == "prise_en_charge"
    assert [step["etat"] for step in item["etapes"]] == ["envoyee", "prise_en_charge"]
    assert body["suite"] is None
    assert since.json()["demandes"] == []


def test_the_api_needs_this_landlords_token(sent, token):
    assert api("get", "/").status_code == 401
    assert api("get", "/", token, host="hdf.localhost").status_code == 401


def test_a_status_update_from_the_erp_applies_once(sent, token):
    mail.outbox.clear()
    update = {
        "etat": "intervention_prevue",
        "date_intervention": "2026-01-09",
        "reference_erp": "OT-77",
    }

    first = api("post", f"/{sent.public_id}/etat", token, **update)
    second = api("post", f"/{sent.public_id}/etat", token, **update)

    assert first.status_code == 200 and first.json()["modifie"] is True
    assert second.status_code == 200 and second.json()["modifie"] is False
    sent.refresh_from_db()
    assert sent.status == Status.PLANNED
    assert sent.erp_reference == "OT-77"
    assert sent.steps.filter(status=Status.PLANNED, source="erp").count() == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="request.status_changed").count() == 1


def test_a_move_the_rules_refuse_answers_409(sent, token):
    services.change_status(sent, Status.CLOSED)

    response = api("post", f"/{sent.public_id}/etat", token, etat="resolue")

    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.status == Status.CLOSED


def test_another_landlords_request_is_unknown_to_the_api(sent, tenant):
    out = io.StringIO()
    call_command("create_api_token", "--landlord", "hdf", "--name", "ERP", stdout=out)
    hdf_token = out.getvalue().strip()

    url = f"/{sent.public_id}/etat"
    response = api("post", url, hdf_token, host="hdf.localhost", etat="resolue")

    assert response.status_code == 404
    assert ServiceRequest.objects.get().status == Status.SENT


def test_the_csv_export_for_the_erp(sent, tmp_path):
    output = tmp_path / "demandes.csv"
    err = io.StringIO()

    call_command("export_requests", "--landlord", "hmp", "--output", str(output), stderr=err)

    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Identifiant;Référence;Compte;Agence;Famille;Catégorie")
    assert lines[1].startswith(f"{sent.public_id};{sent.reference};000123;")
    assert "1 demande(s)" in err.getvalue()
    call_command(
        "export_requests",
        "--landlord",
        "hmp",
        "--since",
        "2026-01-05T12:00:00+01:00",
        "--output",
        str(output),
        stderr=err,
    )
    assert len(output.read_text(encoding="utf-8-sig").splitlines()) == 1
