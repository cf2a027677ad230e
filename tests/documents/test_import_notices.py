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

    assert "2 avis importés, 0 remplacés, 0 inchangés, 4 fichiers non importés." in output
    assert (
        "Non importé : 999999_2026-11.pdf : compte 999999 inconnu chez OPH d'Aubervilliers"
        in output
    )
    assert "Non importé : 000123-novembre.pdf : nom non conforme" in output
    assert "Non importé : 000124_2026-11.pdf : ce n'est pas un fichier PDF complet" in output
    assert "Non importé : 000124_2026-13.pdf : mois invalide : 13" in output
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
    assert "0 avis importés, 0 remplacés, 2 inchangés" in again
    assert RentNotice.objects.get(account__number="000123", period=NOVEMBER).pdf.name == first

    (folder / "000123_2026-11.pdf").write_bytes(fake_pdf("avis 000123 corrigé"))
    with django_capture_on_commit_callbacks(execute=True):
        changed = run(folder)

    assert "Remplacé (contenu modifié) : 000123_2026-11.pdf" in changed
    assert "0 avis importés, 1 remplacés, 1 inchangés" in changed
    notice = RentNotice.objects.get(account__number="000123", period=NOVEMBER)
    with notice.pdf.open("rb") as pdf:
        assert pdf.read() == fake_pdf("avis 000123 corrigé")
    assert not default_storage.exists(first)


def test_the_erp_notice_replaces_one_the_portal_generated(folder):
    account = RentNotice.objects.model.account.field.related_model.objects.get(number="000123")
    monthly(account, NOVEMBER)
    download(client_for(account), f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")

    output = run(folder)

    assert "1 avis importés, 1 remplacés" in output
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
