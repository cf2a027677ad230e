"""A month's notices exist once it is closed; a corrective import issues a new version."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from audit.models import AuditEvent
from billing.imports import import_ledger
from billing.models import LedgerPeriod
from documents.models import NoticeDownload, RentNotice
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    client_for,
    download,
    monthly,
    page_text,
    pdf_text,
)
from tests.factories import AccessFactory

DECEMBER_CSV_HEADER = "compte;reference;date;libelle;type;montant;periode;rubrique\n"


def ledger_file(rent="412,30") -> io.BytesIO:
    return io.BytesIO(
        (
            DECEMBER_CSV_HEADER
            + f"000123;N-1;01/11/2026;Loyer;charge;{rent};11/2026;loyer\n"
            + "000123;N-2;01/11/2026;Provision pour charges;charge;58,00;11/2026;charges\n"
        ).encode()
    )


def documents_url(account):
    return f"/mon-compte/compte/{account.pk}/documents/"


def notice_url(account, month="2026-11"):
    return f"/mon-compte/compte/{account.pk}/documents/avis/{month}.pdf"


def test_before_its_import_the_current_months_notice_is_announced_not_made(account):
    client = client_for(account)
    import_ledger(account.landlord, ledger_file())  # November's lines, not said complete

    listed = page_text(client.get(documents_url(account)))
    asked = client.get(notice_url(account), follow=True)

    expected = (
        "Votre avis d'échéance de novembre 2026 sera disponible après le 1er novembre 2026 : "
        "OPH d'Aubervilliers n'a pas encore enregistré toutes les écritures du mois"
    )
    assert expected in listed
    assert expected in page_text(asked)
    assert not RentNotice.objects.exists()


def test_the_expected_closing_is_the_landlords_closing_day(account, oph):
    oph.ledger_closing_day = 3
    oph.rent_due_day = 10
    oph.save()
    with_december = client_for(account)
    import_ledger(account.landlord, ledger_file())

    text = page_text(with_december.get(documents_url(account)))

    # 20 November: November is late (expected the 3rd); no December line yet.
    assert "avis d'échéance de novembre 2026 sera disponible après le 3 novembre 2026" in text


def test_the_import_that_completes_the_month_closes_it_and_dates_the_notice(account):
    client = client_for(account)
    report = import_ledger(
        account.landlord, ledger_file(), closes_period=NOVEMBER, file_name="ecritures.csv"
    )

    closing = LedgerPeriod.objects.get(landlord=account.landlord, period=NOVEMBER)
    text = pdf_text(download(client, notice_url(account)))

    assert report.closing == "Novembre 2026 est clos : ses avis d'échéance sont émis."
    assert (closing.version, closing.closed_on.isoformat()) == (1, "2026-11-20")
    assert "Émis le : 20/11/2026" in text
    assert AuditEvent.objects.filter(action="ledger.period_closed").count() == 1


def test_mes_documents_lists_the_notice_as_soon_as_the_month_is_closed(account):
    client = client_for(account)
    import_ledger(account.landlord, ledger_file())
    assert "sera disponible" in page_text(client.get(documents_url(account)))  # cached

    import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER, file_name="e.csv")

    listed = page_text(client.get(documents_url(account)))
    assert "novembre 2026 sera disponible" not in listed
    assert notice_url(account) in client.get(documents_url(account)).text


def test_the_command_says_which_month_it_closes(account, tmp_path, capsys):
    path = tmp_path / "ecritures.csv"
    path.write_bytes(ledger_file().getvalue())

    call_command("import_ledger", str(path), landlord="oph", closes_period="2026-11")

    assert "Novembre 2026 est clos" in capsys.readouterr().out
    assert LedgerPeriod.objects.get().file_name == "ecritures.csv"


def test_a_month_not_begun_cannot_be_closed_by_an_import(account):
    from tenancies.erpfiles import ImportFileError

    with pytest.raises(ImportFileError, match="n'a pas encore commencé"):
        import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER.replace(month=12))
    assert not LedgerPeriod.objects.exists()
    assert not account.ledger_entries.exists()


def test_generate_notices_refuses_a_month_not_closed(account):
    import_ledger(account.landlord, ledger_file())

    with pytest.raises(CommandError, match="n'est pas clos chez OPH d'Aubervilliers"):
        call_command("generate_notices", period="2026-11", landlord="oph")


def test_the_same_file_again_changes_nothing(account):
    import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER)
    again = import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER)

    assert "déjà clos (version 1) et ce fichier n'y change rien" in again.closing
    assert LedgerPeriod.objects.get().version == 1


def test_a_corrective_import_issues_a_new_version_and_tells_who_downloaded_the_old_one(
    make_account, django_capture_on_commit_callbacks
):
    account = make_account(names=(("DUPOND", "Jean"), ("DUPOND", "Marie")))
    client = client_for(account, "jean@exemple.com")
    marie = account.leases.first().signatories.get(first_name="Marie")
    never_downloaded = Client(HTTP_HOST=account.landlord.primary_host)
    never_downloaded.force_login(
        AccessFactory(user__email="marie@exemple.com", signatory=marie).user
    )
    import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER)
    first = pdf_text(download(client, notice_url(account)))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = import_ledger(account.landlord, ledger_file("450,00"), closes_period=NOVEMBER)
    # The new version is generated by the closing itself, before anyone asks for it.
    regenerated = RentNotice.objects.get(account=account, period=NOVEMBER, version=2)
    assert regenerated.pdf
    with regenerated.pdf.open("rb") as stored:
        stored_pdf = stored.read()
    downloaded = download(client, notice_url(account))
    second = pdf_text(downloaded)
    listed = page_text(never_downloaded.get(documents_url(account)))
    old = pdf_text(
        download(client, f"/mon-compte/compte/{account.pk}/documents/avis/2026-11/version-1.pdf")
    )

    assert "clos à nouveau (version 2)" in report.closing
    assert "412,30 €" in first and "450,00 €" in second
    assert "(version 2)" in second
    assert downloaded == stored_pdf  # served as generated at the closing, not made again
    assert old == first  # the earlier version, kept as issued
    assert "Version 1 du 20/11/2026, remplacée le 20/11/2026" in listed
    assert RentNotice.objects.filter(account=account, period=NOVEMBER).count() == 2
    assert [message.to for message in mail.outbox] == [["jean@exemple.com"]]
    assert "Nouvelle version de votre avis d'échéance de novembre 2026" in mail.outbox[0].subject
    assert NoticeDownload.objects.filter(notified_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(action="ledger.period_reclosed").count() == 1


def test_a_notice_the_ledger_changed_since_says_so(account):
    client = client_for(account)
    import_ledger(account.landlord, ledger_file(), closes_period=NOVEMBER)
    download(client, notice_url(account))

    import_ledger(account.landlord, ledger_file("450,00"))  # not said to complete November

    text = page_text(client.get(documents_url(account)))
    assert "Des écritures de ce mois ont été reçues depuis l'émission de cet avis" in text


def test_a_receipt_older_than_the_ledger_is_marked(account):
    from tests.documents.conftest import payment

    client = client_for(account)
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=4), 20000)
    client.post(f"/mon-compte/compte/{account.pk}/documents/paiement/2026-10/")
    payment(account, OCTOBER.replace(day=20), 10000)

    text = page_text(client.get(documents_url(account)))

    assert (
        "Reçu de paiement partiel du 20/11/2026, établi avant des écritures reçues depuis" in text
    )
    assert "Obtenir mon reçu d'octobre 2026" in text


def test_a_quittance_whose_amounts_the_ledger_changed_since_is_marked(account):
    from tests.documents.conftest import charge, payment

    client = client_for(account)
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=4), 47030)
    client.post(f"/mon-compte/compte/{account.pk}/documents/paiement/2026-10/")
    before = page_text(client.get(documents_url(account)))
    # The ERP posts a late October line, paid at once: still a quittance, other amounts.
    charge(account, OCTOBER, "Régularisation de charges", 3000, "charges", close=False)
    payment(account, OCTOBER.replace(day=25), 3000)

    after = page_text(client.get(documents_url(account)))

    marked = "Établie avant des écritures reçues depuis pour ce mois"
    assert "Quittance du 20/11/2026" in before and marked not in before
    assert "Quittance du 20/11/2026" in after
    assert f"{marked} : ses montants ne sont plus ceux de votre compte" in after
