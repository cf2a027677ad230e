"""`manage.py generate_notices`: the month's notices as background tasks, resumable."""

import io
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from billing.money import format_euros
from documents import generation, services
from documents.models import RentNotice
from documents.rendering import renderer
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    client_for,
    download,
    monthly,
    payment,
    pdf_text,
)
from tests.factories import LandlordFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command("generate_notices", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def accounts(make_account):
    made = []
    for number in range(1, 8):
        account = make_account(f"{number:06d}")
        monthly(account, OCTOBER, rent=40000 + number)
        payment(account, OCTOBER.replace(day=5), 30000)
        monthly(account, NOVEMBER, rent=40000 + number)
        made.append(account)
    return made


def test_it_generates_every_notice_of_the_month_with_its_amounts(accounts):
    output = run("--period", "2026-11")

    assert "7 avis à générer pour novembre 2026, en 1 tâche." in output
    assert "Avis d'échéance de novembre 2026 : 7 faits sur 7 (100,0 %)." in output
    notices = RentNotice.objects.filter(period=NOVEMBER).select_related("account")
    assert notices.count() == 7
    for notice in notices:
        rent = 40000 + int(notice.account.number)
        assert notice.source == RentNotice.Source.GENERATED
        assert notice.amount_due_cents == 2 * (rent + 5800) - 30000
        with notice.pdf.open("rb") as pdf:
            text = pdf_text(pdf.read())
        assert notice.account.number in text
        assert format_euros(notice.amount_due_cents).replace("\u00a0", " ") in text


def test_the_tenant_downloads_the_generated_notice_without_rendering_again(accounts):
    run("--period", "2026-11")
    account = accounts[0]

    with mock.patch("documents.rendering.Renderer.render_pdf") as render:
        content = download(
            client_for(account), f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf"
        )

    render.assert_not_called()
    assert "000001" in pdf_text(content)


def test_after_an_interruption_it_does_only_what_is_left(accounts, monkeypatch):
    monkeypatch.setattr(generation, "CHUNK_SIZE", 3)
    calls = []
    real_chunk = generation.generate_chunk

    def interrupted_after_two_tasks(account_ids, period):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(account_ids)
        return real_chunk(account_ids, period)

    monkeypatch.setattr(generation, "generate_chunk", interrupted_after_two_tasks)
    with pytest.raises(KeyboardInterrupt):
        run("--period", "2026-11")
    assert "6 faits sur 7" in run("--period", "2026-11", "--status")
    monkeypatch.setattr(generation, "generate_chunk", real_chunk)

    with mock.patch(
        "documents.rendering.Renderer.render_pdfs", wraps=renderer().render_pdfs
    ) as render:
        output = run("--period", "2026-11")

    assert "1 avis à générer pour novembre 2026, en 1 tâche." in output
    assert "7 faits sur 7" in output
    assert sum(len(call.kwargs["items"]) for call in render.call_args_list) == 1
    assert RentNotice.objects.filter(period=NOVEMBER).count() == 7


def test_a_notice_first_opened_by_its_tenant_keeps_what_it_stated(accounts):
    account = accounts[0]
    client_for(account).get(f"/mon-compte/compte/{account.pk}/documents/avis/2026-11/")
    monthly(account, NOVEMBER, rent=99999)  # the ledger changes afterwards

    run("--period", "2026-11")

    notice = RentNotice.objects.get(account=account, period=NOVEMBER)
    assert notice.total_cents == 40001 + 5800
    with notice.pdf.open("rb") as pdf:
        assert "Total du mois 458,01 €" in pdf_text(pdf.read())


def test_a_notice_opened_while_its_batch_renders_keeps_what_it_stated_and_the_rest_is_stored(
    accounts, monkeypatch
):
    account = accounts[2]
    real_render = renderer().render_pdfs

    def opened_meanwhile(**kwargs):
        pdfs = real_render(**kwargs)
        services.notice_for(account, NOVEMBER)  # the tenant opens it as a page
        return pdfs

    monkeypatch.setattr(renderer(), "render_pdfs", opened_meanwhile)

    assert generation.generate_chunk([each.pk for each in accounts], NOVEMBER) == 6

    stored = RentNotice.objects.filter(period=NOVEMBER).exclude(pdf="")
    assert sorted(stored.values_list("account__number", flat=True)) == [
        each.number for each in accounts if each != account
    ]
    assert not RentNotice.objects.get(account=account, period=NOVEMBER).pdf
    names = {str(path.relative_to(settings.MEDIA_ROOT)) for path in stored_pdfs()}
    assert names == set(stored.values_list("pdf", flat=True))


def test_one_landlord_only(accounts, make_account):
    other = LandlordFactory(slug="autre")
    theirs = make_account("000900", landlord=other)
    monthly(theirs, NOVEMBER)

    output = run("--period", "2026-11", "--landlord", "autre")

    assert "1 fait sur 1" in output
    assert RentNotice.objects.filter(period=NOVEMBER).count() == 1


def test_bad_arguments_are_explained_in_french(db):
    with pytest.raises(CommandError, match="Mois invalide : « 2026-13 »"):
        run("--period", "2026-13")
    with pytest.raises(CommandError, match="Bailleur inconnu : « nulle-part »"):
        run("--period", "2026-11", "--landlord", "nulle-part")


def stored_pdfs() -> list:
    from pathlib import Path

    return list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_database_failure_while_storing_leaves_no_file_behind(accounts, monkeypatch):
    from django.db import DatabaseError
    from django.db.models.query import QuerySet

    def broken_insert(self, *args, **kwargs):
        raise DatabaseError("connexion perdue")

    monkeypatch.setattr(QuerySet, "bulk_create", broken_insert)

    with pytest.raises(DatabaseError):
        generation.generate_chunk([account.pk for account in accounts], NOVEMBER)

    assert stored_pdfs() == []


def test_a_database_failure_on_a_first_download_leaves_no_file_behind(accounts, monkeypatch):
    from django.db import DatabaseError
    from django.db.models.query import QuerySet

    account = accounts[0]
    notice = services.notice_for(account, NOVEMBER)  # opened as a page: no PDF yet

    def broken_update(self, **kwargs):
        raise DatabaseError("connexion perdue")

    monkeypatch.setattr(QuerySet, "update", broken_update)

    with pytest.raises(DatabaseError):
        services.notice_with_pdf(notice)

    assert stored_pdfs() == []
