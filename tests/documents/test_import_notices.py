"""`manage.py import_notices`: the ERP's PDF notices, idempotent, reporting what is skipped."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from documents.models import RentNotice
from tests.documents.conftest import NOVEMBER, OCTOBER, client_for, download, monthly


def fake_pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def run(folder, landlord="oph") -> str:
    out = io.StringIO()
    call_command("import_notices", "--landlord", landlord, str(folder), stdout=out)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path, make_account):
    make_account("000123")
    make_account("000124")
    erp = tmp_path / "avis"
    erp.mkdir()
    (erp / "000123_2026-11.pdf").write_bytes(fake_pdf("avis 000123 novembre"))
    (erp / "000124_2026-10.PDF").write_bytes(fake_pdf("avis 000124 octobre"))
    (erp / "999999_2026-11.pdf").write_bytes(fake_pdf("compte inconnu"))
    (erp / "000123-novembre.pdf").write_bytes(fake_pdf("mauvais nom"))
    (erp / "000124_2026-11.pdf").write_bytes(b"<html>pas un PDF</html>")
    (erp / "000124_2026-13.pdf").write_bytes(fake_pdf("mois 13"))
    return erp


def test_it_imports_what_matches_and_reports_the_rest(folder):
    output = run(folder)

    assert "2 avis importés, 0 remplacé, 0 inchangé, 4 fichiers non importés." in output
    assert (
        "Non importé : 999999_2026-11.pdf : compte 999999 inconnu chez OPH d'Aubervilliers"
        in output
    )
    assert "Non importé : 000123-novembre.pdf : nom non conforme" in output
    assert "Non importé : 000124_2026-11.pdf : ce n'est pas un fichier PDF complet" in output
    assert "Non importé : 000124_2026-13.pdf : mois invalide : 2026-13" in output
    notice = RentNotice.objects.get(account__number="000123", period=NOVEMBER)
    assert notice.source == RentNotice.Source.IMPORTED
    with notice.pdf.open("rb") as pdf:
        assert pdf.read() == fake_pdf("avis 000123 novembre")


def test_the_tenant_downloads_the_imported_notice_as_it_came(folder):
    run(folder)
    notice = RentNotice.objects.get(account__number="000124", period=OCTOBER)

    content = download(
        client_for(notice.account),
        f"/mon-compte/compte/{notice.account.pk}/documents/avis/2026-10.pdf",
    )

    assert content == fake_pdf("avis 000124 octobre")


def test_importing_again_changes_nothing_and_a_changed_file_replaces_the_notice(
    folder, django_capture_on_commit_callbacks
):
    run(folder)
    first = RentNotice.objects.get(account__number="000123", period=NOVEMBER).pdf.name

    again = run(folder)
    assert "0 avis importé, 0 remplacé, 2 inchangés" in again
    assert RentNotice.objects.get(account__number="000123", period=NOVEMBER).pdf.name == first

    (folder / "000123_2026-11.pdf").write_bytes(fake_pdf("avis 000123 corrigé"))
    with django_capture_on_commit_callbacks(execute=True):
        changed = run(folder)

    assert "Remplacé (contenu modifié) : 000123_2026-11.pdf" in changed
    assert "0 avis importé, 1 remplacé, 1 inchangé" in changed
    notice = RentNotice.objects.get(account__number="000123", period=NOVEMBER)
    with notice.pdf.open("rb") as pdf:
        assert pdf.read() == fake_pdf("avis 000123 corrigé")
    assert not default_storage.exists(first)


def test_the_erp_notice_replaces_one_the_portal_generated(folder):
    account = RentNotice.objects.model.account.field.related_model.objects.get(number="000123")
    monthly(account, NOVEMBER)
    download(client_for(account), f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")

    output = run(folder)

    assert "1 avis importé, 1 remplacé" in output
    notice = RentNotice.objects.get(account=account, period=NOVEMBER)
    assert notice.source == RentNotice.Source.IMPORTED


def test_a_failure_while_writing_leaves_nothing_behind(folder, monkeypatch):
    from documents import imports

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(imports.RentNotice, "save", broken_save)

    with pytest.raises(RuntimeError):
        run(folder)

    assert not RentNotice.objects.exists()
    assert (
        not list(default_storage.listdir("documents/oph/000123")[1])
        if default_storage.exists("documents/oph/000123")
        else True
    )


def test_unknown_landlord_or_folder(folder):
    with pytest.raises(CommandError, match="Bailleur inconnu"):
        run(folder, landlord="nulle-part")
    with pytest.raises(CommandError, match="Dossier introuvable"):
        run(folder / "absent")


def test_a_link_to_a_file_elsewhere_is_reported_and_not_imported(folder, tmp_path):
    elsewhere = tmp_path / "ailleurs.pdf"
    elsewhere.write_bytes(fake_pdf("un PDF hors du dossier"))
    (folder / "000123_2026-10.pdf").symlink_to(elsewhere)

    output = run(folder)

    assert "Non importé : 000123_2026-10.pdf : ce n'est pas un fichier ordinaire" in output
    assert not RentNotice.objects.filter(period=OCTOBER, account__number="000123").exists()


def test_an_oversized_file_is_refused_without_being_read(folder, monkeypatch):
    import tracemalloc

    from documents import imports

    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    with open(folder / "000123_2026-09.pdf", "wb") as big:
        big.truncate(16 * 1024 * 1024)  # sparse: 16 Mo that cost no disk

    tracemalloc.start()
    try:
        output = run(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "Non importé : 000123_2026-09.pdf : fichier trop volumineux" in output
    assert peak < 4 * 1024 * 1024


def test_a_year_out_of_range_is_reported_not_a_crash(folder):
    (folder / "000123_0000-11.pdf").write_bytes(fake_pdf("année zéro"))

    output = run(folder)

    assert "Non importé : 000123_0000-11.pdf : mois invalide : 0000-11" in output
    assert "2 avis importés" in output


@pytest.mark.django_db(transaction=True)
def test_a_replaced_file_that_cannot_be_deleted_keeps_the_new_one(folder, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    run(folder)
    old_name = RentNotice.objects.get(account__number="000123", period=NOVEMBER).pdf.name
    (folder / "000123_2026-11.pdf").write_bytes(fake_pdf("avis 000123 corrigé"))
    real_delete = FileSystemStorage.delete

    def delete(self, name):
        if name == old_name:
            raise OSError("suppression refusée")
        return real_delete(self, name)

    monkeypatch.setattr(FileSystemStorage, "delete", delete)

    run(folder)

    notice = RentNotice.objects.get(account__number="000123", period=NOVEMBER)
    with notice.pdf.open("rb") as pdf:
        assert pdf.read() == fake_pdf("avis 000123 corrigé")
