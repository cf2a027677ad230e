"""Two uploads for one landlord at the same instant: one run, the other refused clearly."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import RequestFactory

from imports import services
from imports.models import ImportRun
from landlords.models import Landlord
from staff.roles import Role
from tests.postgresql import wait_for_blocked_locks

pytestmark = pytest.mark.postgresql
LEDGER = b"compte;reference;date;libelle;type;montant\n000123;X-1;01/10/2026;Loyer;charge;1,00\n"


def staff_request(user, landlord):
    request = RequestFactory().post("/imports/", HTTP_HOST="agence.hmp.localhost")
    request.user, request.landlord, request.is_backoffice = user, landlord, True
    return request


def test_two_uploads_at_once_start_one_import(transactional_db, make_staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_staff("hmp", Role.ACCOUNTING)
    landlord = Landlord.objects.get(slug="hmp")
    outcome = {}

    def second_upload():
        try:
            services.start_import(
                landlord,
                "ledger",
                SimpleUploadedFile("deux.csv", LEDGER),
                request=staff_request(user, landlord),
            )
        except services.ImportRefused as refused:
            outcome["refused"] = refused.message
        finally:
            connection.close()

    with transaction.atomic():
        Landlord.objects.select_for_update().get(pk=landlord.pk)
        other = threading.Thread(target=second_upload)
        other.start()
        wait_for_blocked_locks()
        upload = SimpleUploadedFile("un.csv", LEDGER)
        request = staff_request(user, landlord)
        first = services.start_import(landlord, "ledger", upload, request=request)
    other.join(timeout=30)

    assert list(ImportRun.objects.values_list("file_name", flat=True)) == ["un.csv"]
    assert first.state == ImportRun.State.QUEUED
    assert outcome["refused"].startswith("Un import est déjà en attente pour Habitat Marseille")
