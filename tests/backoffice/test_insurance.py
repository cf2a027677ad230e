"""The home insurance certificate: the tenant's upload, the staff's review, the reminders."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

from audit.models import AuditEvent
from servicerequests.models import InsuranceCertificate
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.servicerequests.conftest import phone_photo, small_pdf

pytestmark = pytest.mark.django_db
State = InsuranceCertificate.State


@pytest.fixture
def jean(tenant):
    user = tenant("hmp")
    client = Client(HTTP_HOST="hmp.localhost")
    client.force_login(user)
    client.user = user
    client.account = TenantAccount.objects.get(landlord__slug="hmp", number="000123")
    return client


def upload(client, end_date="2026-12-31", file=None):
    file = file or SimpleUploadedFile("attestation.pdf", small_pdf(), "application/pdf")
    return client.post(
        f"/mon-compte/compte/{client.account.pk}/assurance/", {"file": file, "end_date": end_date}
    )


@freeze_time("2026-03-01 10:00")
def test_the_tenant_uploads_a_certificate_and_staff_accept_it(jean, make_staff, agence):
    assert "aucune attestation reçue" in jean.get("/mon-compte/").text
    assert upload(jean).status_code == 302
    certificate = InsuranceCertificate.objects.get()
    assert certificate.state == State.PENDING
    assert "en cours de vérification" in jean.get("/mon-compte/").text
    staff = agence("hmp", make_staff("hmp"))
    assert "Vérifier l'attestation du compte 000123" in staff.get("/demandes/assurances/").text
    mail.outbox.clear()

    response = staff.post(f"/demandes/assurances/{certificate.pk}/", {"decision": "accepter"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.state == State.ACCEPTED
    assert "à jour jusqu&#x27;au 31/12/2026" in jean.get("/mon-compte/").text
    assert mail.outbox[0].subject == "Votre attestation d'assurance habitation est acceptée"
    assert AuditEvent.objects.filter(action="insurance.accepted").exists()
    listing = staff.get("/demandes/assurances/").text
    assert "Aucune attestation à vérifier." in listing


@freeze_time("2026-03-01 10:00")
def test_a_refusal_needs_a_reason_the_tenant_reads(jean, make_staff, agence):
    upload(jean)
    certificate = InsuranceCertificate.objects.get()
    staff = agence("hmp", make_staff("hmp"))
    url = f"/demandes/assurances/{certificate.pk}/"

    without = staff.post(url, {"decision": "refuser", "reason": " "})
    staff.post(url, {"decision": "refuser", "reason": "Attestation d'un autre logement."})

    assert without.status_code == 400
    assert "Indiquez le motif du refus" in without.text
    certificate.refresh_from_db()
    assert certificate.state == State.REFUSED
    assert "refusée : Attestation d&#x27;un autre logement." in jean.get("/mon-compte/").text


@freeze_time("2026-03-01 10:00")
def test_an_end_date_in_the_past_is_refused_and_nothing_is_stored(jean):
    response = upload(jean, end_date="2026-02-28")

    assert response.status_code == 400
    assert "La date de fin de validité est déjà passée" in response.text
    assert not InsuranceCertificate.objects.exists()


@freeze_time("2026-03-01 10:00")
def test_a_certificate_that_is_an_executable_is_refused(jean):
    program = SimpleUploadedFile("attestation.pdf.jpg", b"\x7fELF" + b"\x00" * 500)

    response = upload(jean, file=program)

    assert response.status_code == 400
    assert "n&#x27;est ni une photo" in response.text
    assert not InsuranceCertificate.objects.exists()


@freeze_time("2026-03-01 10:00")
def test_a_photo_of_the_certificate_is_accepted(jean):
    assert upload(jean, file=phone_photo("attestation.jpg", size=(800, 1100))).status_code == 302

    assert InsuranceCertificate.objects.get().content_type == "image/jpeg"


def test_staff_of_another_landlord_cannot_review(jean, make_staff, agence):
    with freeze_time("2026-03-01 10:00"):
        upload(jean)
    certificate = InsuranceCertificate.objects.get()
    other = agence("hdf", make_staff("hdf"))

    assert other.get(f"/demandes/assurances/{certificate.pk}/").status_code == 404
    url = f"/demandes/assurances/{certificate.pk}/"
    assert other.post(url, {"decision": "accepter"}).status_code == 404
    assert other.get(f"/demandes/assurances/{certificate.pk}/fichier/").status_code == 404
    certificate.refresh_from_db()
    assert certificate.state == State.PENDING


def test_the_list_of_leases_without_a_valid_certificate(jean, make_staff, agence):
    with freeze_time("2026-03-01 10:00"):
        upload(jean)
        certificate = InsuranceCertificate.objects.get()
        certificate.state = State.ACCEPTED
        certificate.save()
        covered = agence("hmp", make_staff("hmp")).get("/demandes/assurances/").text
    with freeze_time("2027-01-02 10:00"):
        expired = (
            agence("hmp", make_staff("hmp", Role.CUSTOMER_RELATIONS))
            .get("/demandes/assurances/")
            .text
        )

    missing = covered.split("sans-attestation")[-1]
    assert "000123" not in missing
    assert "000789" in missing
    assert "000457" not in missing  # a parking needs no home insurance
    assert "000123" in expired.split("sans-attestation")[-1]


def reminders(on):
    with freeze_time(on):
        call_command("send_insurance_reminders", stderr=io.StringIO())


def test_reminders_go_30_days_before_and_on_the_end_date_once_each(jean):
    with freeze_time("2026-03-01 10:00"):
        upload(jean, end_date="2026-06-30")
    InsuranceCertificate.objects.update(state=State.ACCEPTED)
    mail.outbox.clear()

    reminders("2026-05-30 08:00")
    assert mail.outbox == []
    reminders("2026-05-31 08:00")
    reminders("2026-05-31 09:00")
    reminders("2026-06-15 08:00")
    assert [m.subject for m in mail.outbox] == [
        "Votre attestation d'assurance habitation expire le 30/06/2026"
    ]
    reminders("2026-06-30 08:00")
    reminders("2026-06-30 09:00")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Votre attestation d'assurance habitation expire aujourd'hui"
    assert mail.outbox[1].to == ["hmp@exemple.com"]
    assert "/mon-compte/compte/" in mail.outbox[1].body


def test_no_reminder_once_a_newer_certificate_was_given(jean):
    with freeze_time("2026-03-01 10:00"):
        upload(jean, end_date="2026-06-30")
    InsuranceCertificate.objects.update(state=State.ACCEPTED)
    with freeze_time("2026-05-20 10:00"):
        jean.force_login(jean.user)  # the first session has expired by then
        assert upload(jean, end_date="2027-06-30").status_code == 302
    mail.outbox.clear()

    reminders("2026-05-31 08:00")
    reminders("2026-06-30 08:00")

    assert mail.outbox == []
    assert datetime.date(2027, 6, 30) == InsuranceCertificate.objects.first().end_date
