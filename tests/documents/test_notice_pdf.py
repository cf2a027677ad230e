"""A generated notice states the landlord, account, tenant, each line and the amounts."""

import datetime
import io

from pypdf import PdfReader

from billing import statement
from billing.models import LedgerEntry
from documents.models import RentNotice
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    charge,
    client_for,
    download,
    monthly,
    payment,
    pdf_text,
)
from tests.factories import LedgerPeriodFactory


def test_the_notice_pdf_states_each_line_the_previous_balance_and_the_amount_due(
    account, tenant_client
):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 30000)  # 170,30 € left from October
    charge(account, NOVEMBER, "Loyer", 41230)
    charge(account, NOVEMBER, "Provision Chauffage", 1955, "chauffage")

    text = pdf_text(
        download(tenant_client, f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")
    )

    assert "Avis d'échéance de novembre 2026" in text
    assert "OPH d'Aubervilliers" in text
    assert "122 rue André Karman" in text
    assert "N° Intitulé" in text and "000123" in text
    assert "N° Contrat" in text and "C-000123" in text
    assert "DUPOND Jean" in text
    assert "10 rue Hémet" in text
    assert "Agence Centre" in text
    assert "Loyer 412,30 €" in text
    assert "Provision Chauffage 19,55 €" in text
    assert "Solde au 31/10/2026 170,30 €" in text
    assert "Total du mois 431,85 €" in text
    assert "Montant à payer avant le 05/11/2026 602,15 €" in text
    notice = RentNotice.objects.get(account=account, period=NOVEMBER)
    assert (notice.previous_balance_cents, notice.total_cents, notice.amount_due_cents) == (
        17030,
        43185,
        60215,
    )


def test_a_month_without_anything_billed_has_no_notice(account, tenant_client):
    monthly(account, OCTOBER)
    LedgerPeriodFactory(landlord=account.landlord, period=NOVEMBER)  # closed, nothing billed

    response = tenant_client.get(f"/mon-compte/compte/{account.pk}/documents/avis/2026-11.pdf")

    assert response.status_code == 404


def notice_url(account, month="2026-11"):
    return f"/mon-compte/compte/{account.pk}/documents/avis/{month}.pdf"


def test_an_account_in_credit_has_nothing_to_pay(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030 + 60000)  # 600 € paid in advance
    monthly(account, NOVEMBER)

    text = pdf_text(download(tenant_client, notice_url(account)))

    assert "Solde au 31/10/2026 600,00 € en votre faveur" in text
    assert "-600,00" not in text
    assert "Montant à payer avant le 05/11/2026 0,00 €" in text
    assert "Vous avez 129,70 € en votre faveur : vous n'avez rien à payer ce mois-ci." in text


def test_a_zero_balance_before_the_month_owes_the_month_only(account, tenant_client):
    monthly(account, OCTOBER)
    payment(account, OCTOBER.replace(day=5), 47030)
    monthly(account, NOVEMBER)

    text = pdf_text(download(tenant_client, notice_url(account)))

    assert "Solde au 31/10/2026 0,00 €" in text
    assert "Montant à payer avant le 05/11/2026 470,30 €" in text


def test_a_month_with_an_adjustment_shows_it_as_a_line(account, tenant_client):
    monthly(account, NOVEMBER)
    charge(
        account,
        NOVEMBER,
        "Régularisation des charges 2025",
        -3250,
        "regularisation",
        kind=LedgerEntry.Kind.ADJUSTMENT,
    )

    text = pdf_text(download(tenant_client, notice_url(account)))

    assert "Régularisation des charges 2025 -32,50 €" in text
    assert "Total du mois 437,80 €" in text


def test_a_notice_of_thirty_lines_fits_on_one_page_with_every_line(account, tenant_client):
    for number in range(1, 31):
        charge(account, NOVEMBER, f"Prestation n° {number}", 1000 + number, "charges")

    content = download(tenant_client, notice_url(account))

    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    text = pdf_text(content)
    assert all(f"Prestation n° {n} {10 + n // 100},{n % 100:02d} €" in text for n in range(1, 31))
    assert "Total du mois 304,65 €" in text


def test_a_ledger_of_ten_years_gives_the_right_previous_balance(account, tenant_client):
    period = datetime.date(2016, 11, 1)
    while period <= NOVEMBER:
        monthly(account, period)
        if period < NOVEMBER:
            payment(account, period.replace(day=5), 47030 - 100)  # 1 € short every month
        period = statement.add_months(period, 1)

    text = pdf_text(download(tenant_client, notice_url(account)))

    assert "Solde au 31/10/2026 120,00 €" in text  # 120 months, 1 € each
    assert "Montant à payer avant le 05/11/2026 590,30 €" in text
    older = pdf_text(download(tenant_client, notice_url(account, "2016-11")))
    assert "Solde au 31/10/2016 0,00 €" in older


def test_names_with_accents_and_apostrophes_are_printed_as_they_are(make_account):
    account = make_account("000456", names=[("N'DIAYE", "Hélène"), ("O'CONNOR-LŒUF", "Zoë")])
    monthly(account, NOVEMBER)

    text = pdf_text(download(client_for(account), notice_url(account)))

    assert "N'DIAYE Hélène" in text
    assert "O'CONNOR-LŒUF Zoë" in text
