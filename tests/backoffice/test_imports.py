"""Imports in the espace agence: the upload, the run as a task, the report, the history."""

import csv
import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditEvent
from backoffice.imports.uploads import SizeLimitHandler
from billing.models import LedgerEntry
from imports import services
from imports.models import ImportRun
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.factories import ImportRunFactory

pytestmark = pytest.mark.django_db

LEDGER = (
    "compte;reference;date;libelle;type;montant;periode;rubrique\n"
    "000123;BO-1;01/10/2026;Loyer;charge;412,30;10/2026;loyer\n"
    "000123;BO-2;05/10/2026;Paiement reçu;paiement;-412,30;10/2026;paiement\n"
)
BAD_LEDGER = (
    "compte;reference;date;libelle;type;montant\n"
    "000123;BO-1;01/10/2026;Loyer;charge;412,30\n"
    "999999;BO-2;31/02/2026;Loyer;charge;12.50\n"
    "000123;BO-3;01/10/2026;Loyer;=1+1;12,50\n"
)


@pytest.fixture
def admin(make_staff):
    return make_staff("hmp", Role.ADMINISTRATOR)


@pytest.fixture
def client(agence, admin):
    return agence("hmp", admin)


def upload(client, content, name="ecritures.csv", kind="ledger", encoding="auto"):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(
        "/imports/",
        {"kind": kind, "encoding": encoding, "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def stored_files():
    try:
        return default_storage.listdir("imports/hmp")[1]
    except FileNotFoundError:
        return []


def test_a_ledger_upload_is_imported_and_reported(client, admin):
    response = upload(client, LEDGER)

    assert response.redirect_chain[-1][0].startswith("/imports/")
    assert "Résultat : importé" in response.text
    assert "2 créés" in response.text
    assert LedgerEntry.objects.filter(reference__startswith="BO-").count() == 2
    run = ImportRun.objects.get()
    assert (run.landlord.slug, run.kind, run.file_name, run.uploaded_by) == (
        "hmp",
        "ledger",
        "ecritures.csv",
        admin,
    )
    assert run.started_at and run.finished_at and run.percent == 100
    assert stored_files() == []  # the personal data goes once read
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"imports.started", "imports.finished"} <= actions
    # Idempotent, as the command: the same file again changes nothing.
    again = upload(client, LEDGER)
    assert "0 créés, 0 mis à jour, 2 inchangés" in again.text
    history = client.get("/imports/").text
    assert history.count("ecritures.csv") >= 2


def test_bad_lines_import_nothing_and_the_report_lists_each_formula_safe(client):
    response = upload(client, BAD_LEDGER, name="=ecritures.csv")

    assert "2 ligne(s) en erreur : rien n&#x27;a été importé." in response.text
    assert "« 999999 » inconnu" in response.text
    assert "31/02/2026" in response.text
    assert not LedgerEntry.objects.filter(reference__startswith="BO-").exists()
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.REFUSED and run.error_count == 2

    report = client.get(f"/imports/{run.pk}/rapport.csv")
    text = report.content.decode("utf-8-sig")
    assert report["Content-Disposition"] == f'attachment; filename="rapport-import-{run.pk}.csv"'
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["fichier", "ligne", "erreur"]
    assert rows[1][:2] == ["'=ecritures.csv", "3"]
    assert rows[1][2].startswith("compte : « 999999 » inconnu")
    assert rows[2][1] == "4" and rows[2][2].startswith("type : « =1+1 »")
    # No cell starts with "=" (a spreadsheet would run it).
    assert all(not cell.startswith("=") for row in rows for cell in row)


def test_not_a_csv_is_refused_before_anything_is_stored(client):
    xlsx = b"PK\x03\x04" + b"\x00" * 200

    for content, name, message in [
        (xlsx, "ecritures.xlsx", "n&#x27;est pas un fichier CSV (extension .csv attendue)"),
        (xlsx, "ecritures.csv", "est un classeur Excel (.xlsx) ou une archive ZIP, pas un fichier"),
        (b"%PDF-1.7 ...", "avis.csv", "est un document PDF"),
    ]:
        response = upload(client, content, name=name)
        assert response.status_code == 400
        assert message in response.text

    assert not ImportRun.objects.exists()
    assert stored_files() == []


def test_a_too_large_upload_is_refused_from_its_size(client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024

    response = upload(client, LEDGER + "000123;BO-9;01/10/2026;Loyer;charge;1,00\n" * 200)

    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale" in response.text
    assert not ImportRun.objects.exists()
    assert stored_files() == []


def test_a_200_mb_upload_is_refused_before_its_body_is_read(client):
    """The declared size decides: the body (here never sent) is not read."""
    response = client.post(
        "/imports/",
        data=b"",
        content_type="multipart/form-data; boundary=xyz",
        # The test client drops the content type of an empty body: a browser sends it.
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale de 100 Mo" in response.text
    assert not ImportRun.objects.exists()


def test_the_size_limit_holds_without_a_content_length():
    """A chunked upload: the handler stops storing past the limit."""
    handler = SizeLimitHandler(RequestFactory().post("/"), limit=10)

    handler.receive_data_chunk(b"x" * 10, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", 10)
    assert handler.too_large


def test_a_file_in_the_wrong_encoding_is_refused_clearly(client):
    utf16 = LEDGER.encode("utf-16")

    response = upload(client, utf16)

    assert "Encodage inattendu : le fichier est en UTF-16 ou UTF-32." in response.text
    assert "Rien n&#x27;a été importé." in response.text
    assert ImportRun.objects.get().state == ImportRun.State.REFUSED
    # Forced to UTF-8, a Windows-1252 file is refused too.
    response = upload(client, LEDGER.encode("cp1252"), encoding="utf-8")
    assert "Le fichier n&#x27;est pas en utf-8" in response.text


def test_a_second_import_while_one_runs_is_refused_clearly(client, admin, settings):
    running = ImportRunFactory(
        landlord=admin.staff_memberships.get().landlord,
        kind="accounts",
        file_name="comptes.csv",
        size_bytes=100,
        uploaded_by=admin,
        state=ImportRun.State.RUNNING,
    )

    response = upload(client, LEDGER)

    assert response.status_code == 400
    assert "Un import est déjà en cours pour Habitat Marseille Provence" in response.text
    assert "« comptes.csv », déposé par Camille AGENT" in response.text
    assert ImportRun.objects.count() == 1
    assert not LedgerEntry.objects.filter(reference__startswith="BO-").exists()
    assert stored_files() == []
    # Once it is over, the next file goes.
    running.state = ImportRun.State.SUCCEEDED
    running.save()
    assert "Résultat : importé" in upload(client, LEDGER).text


def test_an_import_dead_with_its_worker_blocks_no_more(client, admin):
    ImportRunFactory(
        landlord=admin.staff_memberships.get().landlord,
        kind="accounts",
        file_name="comptes.csv",
        size_bytes=100,
        uploaded_by=admin,
        state=ImportRun.State.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
    )

    assert "Résultat : importé" in upload(client, LEDGER).text
    assert ImportRun.objects.filter(state=ImportRun.State.FAILED).count() == 1


def test_an_accounts_upload_goes_through_the_accounts_import(client, sample_path):
    content = sample_path("comptes.csv").read_bytes()

    response = upload(client, content, name="comptes.csv", kind="accounts")

    assert "Résultat : importé" in response.text
    assert TenantAccount.objects.filter(landlord__slug="hmp", number="000789").exists()


def test_progress_is_served_as_json_and_the_page_works_without_javascript(client, admin):
    run = ImportRunFactory(
        landlord=admin.staff_memberships.get().landlord,
        kind="ledger",
        file_name="ecritures.csv",
        size_bytes=1000,
        progress_bytes=450,
        uploaded_by=admin,
        state=ImportRun.State.RUNNING,
    )

    progress = client.get(f"/imports/{run.pk}/progression.json").json()
    page = client.get(f"/imports/{run.pk}/").text

    assert progress["percent"] == 45 and progress["done"] is False
    assert progress["step"] == "Lecture et vérification du fichier"
    assert '<progress id="barre" max="100" value="45">' in page
    assert "Actualiser la page" in page
    assert "<meta http-equiv" not in page
    assert "<script>" not in page  # only the static file (CSP)


def test_imports_are_the_landlords_and_need_the_role(make_staff, agence, admin):
    run = ImportRunFactory(
        landlord=admin.staff_memberships.get().landlord,
        kind="ledger",
        file_name="ecritures.csv",
        size_bytes=10,
        uploaded_by=admin,
        state=ImportRun.State.SUCCEEDED,
    )
    other = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))
    relations = agence("hmp", make_staff("hmp", Role.CUSTOMER_RELATIONS))
    accountant = agence("hmp", make_staff("hmp", Role.ACCOUNTING))

    urls = [f"/imports/{run.pk}/", f"/imports/{run.pk}/progression.json"]
    urls += [f"/imports/{run.pk}/rapport.csv"]
    for url in urls:
        assert other.get(url).status_code == 404
        assert relations.get(url).status_code == 403
        assert accountant.get(url).status_code == 200
    assert relations.get("/imports/").status_code == 403
    assert relations.post("/imports/").status_code == 403
    assert "ecritures.csv" not in other.get("/imports/").text


def test_the_dashboard_shows_the_last_import_and_its_result(client):
    upload(client, BAD_LEDGER)

    page = client.get("/").text

    assert "Imports des 7 derniers jours" in page
    assert "Dernier : « ecritures.csv »" in page and "refusé, rien n&#x27;a été importé" in page


def test_the_reader_reports_its_progress_up_to_the_whole_file(monkeypatch):
    from tenancies import erpfiles
    from tenancies.erpfiles import ImportReport, open_table

    monkeypatch.setattr(erpfiles, "PROGRESS_EVERY_LINES", 100)
    line = b"000123;BO-3;01/10/2026;Loyer;charge;1,00;10/2026;loyer\n"
    content = LEDGER.encode() + line * 1998
    calls = []

    table = open_table(
        io.BytesIO(content),
        is_known_column=lambda name: True,
        required_columns=[],
        report=ImportReport(),
        on_progress=lambda done, total: calls.append((done, total)),
    )
    rows = list(table.rows)

    assert len(rows) == 2000
    assert len(calls) > 2
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert calls[0][0] < len(content) and calls[-1] == (len(content), len(content))


def test_an_upload_kept_in_object_storage_is_read_from_a_local_copy(client, monkeypatch):
    """S3 storage has no local path: the run reads a temporary copy."""

    class ObjectStorage:
        def __getattr__(self, name):
            return getattr(default_storage, name)

        def path(self, name):
            raise NotImplementedError("no local path, as on S3")

    monkeypatch.setattr(services, "default_storage", ObjectStorage())

    assert "Résultat : importé" in upload(client, LEDGER).text
