"""Demandes in the espace agence: the queue, a request's actions, scoping, the export."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.test import Client
from freezegun import freeze_time

from audit.models import AuditEvent
from servicerequests import services
from servicerequests.models import RequestCategory, Status
from staff.roles import Role
from tenancies.models import TenantAccount

pytestmark = pytest.mark.django_db


def make_request(slug, number, description="Plus de chauffage", name="Chauffage et eau chaude"):
    account = TenantAccount.objects.get(landlord__slug=slug, number=number)
    category = RequestCategory.objects.get(landlord__slug=slug, name=name)
    return services.create_request(
        account=account, author=None, category=category, description=description
    )


@pytest.fixture
def hmp_request(tenant):
    user = tenant("hmp")
    created = make_request("hmp", "000123")
    created.author = user
    created.save()
    return created


def test_the_queue_lists_the_landlords_requests_with_the_late_ones_marked(
    hmp_request, make_staff, agence
):
    with freeze_time("2026-01-05 09:00"):
        late = make_request("hmp", "000123", description="Ancienne")
    client = agence("hmp", make_staff("hmp", Role.ADMINISTRATOR))

    with freeze_time("2026-01-20 09:00"):
        response = client.get("/demandes/")
        late_only = client.get("/demandes/?retard=en-retard")

    assert response.status_code == 200
    assert hmp_request.reference in response.text
    assert late.reference in response.text
    assert "⚠ En retard" in response.text
    assert late.reference in late_only.text
    assert hmp_request.reference not in late_only.text


def test_the_queue_filters_by_category_and_status(hmp_request, make_staff, agence):
    other = make_request("hmp", "000123", name="Plomberie")
    services.change_status(other, Status.TAKEN)
    client = agence("hmp", make_staff("hmp"))
    plumbing = RequestCategory.objects.get(landlord__slug="hmp", name="Plomberie")

    by_category = client.get(f"/demandes/?category={plumbing.pk}").text
    by_status = client.get("/demandes/?status=envoyee").text

    assert other.reference in by_category and hmp_request.reference not in by_category
    assert hmp_request.reference in by_status and other.reference not in by_status


def test_another_landlords_request_answers_404(hmp_request, make_staff, agence):
    client = agence("hdf", make_staff("hdf"))

    assert client.get(f"/demandes/{hmp_request.public_id}/").status_code == 404
    response = client.post(f"/demandes/{hmp_request.public_id}/etat/", {"status": "cloturee"})
    assert response.status_code == 404
    assert hmp_request.reference not in client.get("/demandes/").text
    hmp_request.refresh_from_db()
    assert hmp_request.status == Status.SENT


def test_an_agent_sees_only_their_agencies_requests(hmp_request, make_staff, agence):
    south = TenantAccount.objects.filter(landlord__slug="hmp", agency__code="SUD")[0]
    theirs = make_request("hmp", south.number)
    agent = agence("hmp", make_staff("hmp", Role.AGENT, agencies=[hmp_request.account.agency.code]))
    assert hmp_request.account.agency.code != "SUD"

    assert agent.get(f"/demandes/{theirs.public_id}/").status_code == 404
    assert agent.get(f"/demandes/{hmp_request.public_id}/").status_code == 200
    listing = agent.get("/demandes/").text
    assert hmp_request.reference in listing and theirs.reference not in listing
    rows = list(csv.reader(io.StringIO(agent.get("/demandes/export.csv").text), delimiter=";"))
    assert [row[1] for row in rows[1:]] == [hmp_request.reference]


def test_an_accountant_has_no_requests_screen(hmp_request, make_staff, agence):
    client = agence("hmp", make_staff("hmp", Role.ACCOUNTING))

    assert client.get("/demandes/").status_code == 403


def test_staff_answer_with_a_saved_reply_plan_an_intervention_and_keep_notes(
    hmp_request, make_staff, agence
):
    staff = make_staff("hmp")
    client = agence("hmp", staff)
    url = f"/demandes/{hmp_request.public_id}/"
    reply = hmp_request.category.saved_replies.get(title="Intervention planifiée")
    mail.outbox.clear()

    client.post(url + "repondre/", {"saved_reply": reply.pk, "body": "À jeudi."})
    client.post(url + "note/", {"body": "Chaudière de 2009, voir contrat d'entretien"})
    client.post(url + "etat/", {"status": "intervention_prevue", "intervention_date": "2026-01-09"})
    client.post(url + "attribuer/", {"assigned_to": staff.pk})

    hmp_request.refresh_from_db()
    assert hmp_request.status == Status.PLANNED
    assert hmp_request.intervention_date == datetime.date(2026, 1, 9)
    assert hmp_request.assigned_to == staff
    assert hmp_request.answered_at is not None
    answer = hmp_request.messages.get(internal=False)
    assert answer.body.startswith("Bonjour, nous avons transmis votre demande")
    assert answer.body.endswith("À jeudi.")
    assert len(mail.outbox) == 2  # the answer and the status, never the note
    assert all("Chaudière de 2009" not in m.body for m in mail.outbox)
    page = client.get(url).text
    assert "Note interne (invisible pour le locataire)" in page
    actions = set(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"request.message_posted", "request.note_added", "request.status_changed"} <= actions
    assert "request.assigned" in actions


def test_an_intervention_without_a_date_is_refused(hmp_request, make_staff, agence):
    client = agence("hmp", make_staff("hmp"))

    response = client.post(
        f"/demandes/{hmp_request.public_id}/etat/", {"status": "intervention_prevue"}
    )

    assert response.status_code == 400
    assert "Indiquez la date de l" in response.text
    hmp_request.refresh_from_db()
    assert hmp_request.status == Status.SENT


def test_the_csv_export_is_formula_safe(tenant, make_staff, agence):
    make_request("hmp", "000123", description='=HYPERLINK("http://exemple.com")')
    client = agence("hmp", make_staff("hmp"))

    response = client.get("/demandes/export.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Référence", "Compte"]
    assert rows[1][17] == '\'=HYPERLINK("http://exemple.com")'
    assert AuditEvent.objects.filter(action="requests.exported").exists()


def test_the_monthly_figure_counts_requests_answered_within_the_promised_time(
    tenant, make_staff, agence
):
    with freeze_time("2026-02-02 09:00"):
        in_time = make_request("hmp", "000123")
        late = make_request("hmp", "000123")
        make_request("hmp", "000123")  # not answered yet
    with freeze_time("2026-02-03 09:00"):
        services.change_status(in_time, Status.TAKEN)
    with freeze_time("2026-02-20 09:00"):
        services.change_status(late, Status.TAKEN)
        response = agence("hmp", make_staff("hmp")).get("/demandes/delais/")

    assert response.status_code == 200
    row = response.text.split("Février 2026")[1].split("</tr>")[0]
    assert ">3<" in row and ">1<" in row and "33 %" in row


def test_the_administrator_edits_the_categories(make_staff, agence, demo):
    admin = agence("hmp", make_staff("hmp"))
    category = RequestCategory.objects.get(landlord__slug="hmp", name="Ascenseur")

    response = admin.post(
        f"/demandes/categories/{category.pk}/",
        {
            "family": "technique",
            "name": "Ascenseur",
            "scope": "parties_communes",
            "response_days": "1",
            "urgency_notice": "Bloqué ? Appuyez sur l'alarme.",
            "position": "5",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.response_days == 1
    assert AuditEvent.objects.filter(action="request.categories_changed").exists()
    agent = agence("hmp", make_staff("hmp", Role.AGENT, agencies=["NORD"]))
    assert agent.get(f"/demandes/categories/{category.pk}/").status_code == 403
    other = agence("hdf", make_staff("hdf", email="admin.hdf@exemple.fr"))
    assert other.get(f"/demandes/categories/{category.pk}/").status_code == 404


def test_the_dashboard_counts_waiting_and_late_requests(hmp_request, make_staff, agence):
    with freeze_time("2026-01-05 09:00"):
        make_request("hmp", "000123", description="Ancienne")
    taken = make_request("hmp", "000123")
    services.change_status(taken, Status.TAKEN)

    text = agence("hmp", make_staff("hmp")).get("/").text

    waiting = text.split('href="/demandes/?status=envoyee">')[0].rsplit('class="count">', 1)[1]
    late = text.split('href="/demandes/?retard=en-retard">')[0].rsplit('class="count">', 1)[1]
    assert waiting.startswith("2<")
    assert late.startswith("1<")


def test_an_answer_over_the_body_limit_is_refused_before_it_is_read(
    hmp_request, make_staff, agence
):
    class Unread:
        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    client = Client(HTTP_HOST="agence.hmp.localhost", enforce_csrf_checks=True)
    client.force_login(make_staff("hmp"))
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(
        f"/demandes/{hmp_request.public_id}/repondre/",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unread()},
    )

    assert response.status_code == 413
    assert "Votre envoi dépasse 51 Mo au total" in response.text
    assert not hmp_request.messages.exists()


def test_the_administrator_writes_a_saved_reply_for_one_category(make_staff, agence, demo):
    admin = agence("hmp", make_staff("hmp"))
    heating = RequestCategory.objects.get(landlord__slug="hmp", name="Chauffage et eau chaude")
    theirs = RequestCategory.objects.get(landlord__slug="hdf", name="Chauffage et eau chaude")

    refused = admin.post(
        "/demandes/reponses-types/nouvelle/",
        {"category": theirs.pk, "title": "Ailleurs", "text": "Non"},
    )
    created = admin.post(
        "/demandes/reponses-types/nouvelle/",
        {"category": heating.pk, "title": "Chaudière collective", "text": "La chaufferie…"},
    )

    assert refused.status_code == 400
    assert created.status_code == 302
    assert heating.saved_replies.filter(title="Chaudière collective").exists()
    assert not theirs.landlord.saved_replies.filter(title="Ailleurs").exists()
    assert AuditEvent.objects.filter(action="request.saved_replies_changed").count() == 1
    assert "Chaudière collective" in admin.get("/demandes/categories/").text
