"""Mon compte and Situation de votre compte, as the tenant reads them."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from billing.models import LedgerEntry
from demo.loading import load_demo_landlords
from tenancies.models import Signatory, TenantAccount
from tests.accounts.conftest import text_of
from tests.factories import AccessFactory, LedgerEntryFactory

pytestmark = pytest.mark.django_db

HMP = "hmp.localhost"
AUBERVILLIERS = "aubervilliers.localhost"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client, path, host=HMP):
    return client.get(path, HTTP_HOST=host)


def account(slug, number) -> TenantAccount:
    return TenantAccount.objects.get(landlord__slug=slug, number=number)


@pytest.fixture
def jean(tenant):
    """Jean DUPOND, signed in at Habitat Marseille Provence (account 000123)."""
    return tenant("hmp", email="jean@exemple.com")


def test_mon_compte_says_what_is_owed_and_shows_the_dwelling_and_the_agency(jean):
    page = text_of(get(signed_in(jean), "/mon-compte/"))

    assert "Vous devez 470,30\u00a0€" in page
    assert "15 rue des Oliviers" in page
    assert "Agence Marseille Nord" in page and "04 65 71 00 01" in page
    assert "Dernier paiement reçu" in page and "470,30\u00a0€ le " in page
    assert "Prochaine échéance" in page
    assert "Règlement en ligne" in page


def test_an_account_in_credit_says_so_and_offers_nothing_to_pay(tenant):
    sophie = tenant("hdf")

    page = text_of(get(signed_in(sophie), "/mon-compte/", host="hdf.localhost"))

    assert "Vous avez 12,00\u00a0€ en votre faveur" in page
    assert "Vous n'avez rien à payer pour le moment." in page
    assert "Règlement en ligne" not in page


def test_an_account_at_zero_is_up_to_date(jean):
    hmp_account = account("hmp", "000123")
    LedgerEntryFactory(
        account=hmp_account, kind=LedgerEntry.Kind.PAYMENT, amount_cents=-47030, label="Virement"
    )

    page = text_of(get(signed_in(jean), "/mon-compte/"))

    assert "Votre compte est à jour" in page
    assert "Vous n'avez rien à payer pour le moment." in page


def test_the_next_due_date_follows_the_landlords_due_day(db, make_tenant):
    # The demo's ledger is built around the day it is loaded: loaded on the frozen day too.
    with freeze_time("2026-11-20"):
        load_demo_landlords()
        jean = make_tenant("aubervilliers")

        page = text_of(get(signed_in(jean), "/mon-compte/", host=AUBERVILLIERS))

    assert "le 10 décembre 2026" in page


def test_a_tenant_with_two_accounts_switches_between_them(jean):
    parking_signatory = Signatory.objects.get(lease__account__number="000457")
    AccessFactory(user=jean, signatory=parking_signatory)
    parking = account("hmp", "000457")
    client = signed_in(jean)

    first = text_of(get(client, "/mon-compte/"))
    second = text_of(get(client, f"/mon-compte/compte/{parking.pk}/"))

    assert "Vos comptes" in first and "000457" in first
    assert "Vous devez 470,30" in first
    assert "Votre compte est à jour" in second and "Place 27" in second


def test_another_tenants_account_is_not_found_on_every_page(jean):
    someone_else = account("hmp", "000789")
    client = signed_in(jean)

    for path in ["/", "/situation/", "/situation.csv"]:
        response = get(client, f"/mon-compte/compte/{someone_else.pk}{path}")
        assert response.status_code == 404, path


def test_an_account_at_another_landlord_is_a_link_to_that_landlords_site(tenant, jean):
    aubervilliers_access = Signatory.objects.get(lease__account__number="123456", position=1)
    AccessFactory(user=jean, signatory=aubervilliers_access)
    elsewhere = account("aubervilliers", "123456")
    client = signed_in(jean)

    page = text_of(get(client, "/mon-compte/"))
    assert "123456" not in page
    assert 'href="http://aubervilliers.localhost/mon-compte/"' in page
    assert "Votre compte chez OPH d'Aubervilliers" in page
    assert get(client, f"/mon-compte/compte/{elsewhere.pk}/").status_code == 404
    # HMP's session is not honoured there: the person signs in on Aubervilliers' own host.
    assert get(client, f"/mon-compte/compte/{elsewhere.pk}/", host=AUBERVILLIERS).status_code == 302
    there = Client()
    there.post(
        "/compte/login/",
        {"login": jean.email, "password": "Loyer-Payé-2026"},
        HTTP_HOST=AUBERVILLIERS,
    )
    assert get(there, f"/mon-compte/compte/{elsewhere.pk}/", host=AUBERVILLIERS).status_code == 200


def test_the_pages_need_a_signed_in_tenant(demo, client):
    hmp_account = account("hmp", "000123")

    for path in ["/mon-compte/", f"/mon-compte/compte/{hmp_account.pk}/situation/"]:
        response = get(client, path)
        assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_history_shows_each_month_with_a_running_balance_and_explains_the_lines(tenant):
    jean = tenant("aubervilliers")
    number = account("aubervilliers", "123456")

    page = text_of(
        get(signed_in(jean), f"/mon-compte/compte/{number.pk}/situation/", AUBERVILLIERS)
    )

    assert "Situation de votre compte" in page
    assert "Vous devez 610,68\u00a0€" in page
    assert page.count("Solde au début du mois") == 6
    assert "Provision Charges Générales LG" in page and "7,76\u00a0€" in page
    assert "Solde à la fin du mois : <strong>610,68\u00a0€ à payer</strong>" in page
    assert "Aide au logement" not in page  # no APL line on this account
    assert "Le prix du logement" in page  # what "Loyer" means


def test_each_history_line_gives_its_date_label_amount_and_balance_a_credit_in_words(jean):
    hmp_account = account("hmp", "000123")
    last_date = hmp_account.ledger_entries.latest("date").date
    day = last_date + datetime.timedelta(days=1)
    LedgerEntryFactory(
        account=hmp_account,
        date=day,
        label="<b>Avoir</b> régularisation",
        kind=LedgerEntry.Kind.PAYMENT,
        amount_cents=-123456,
    )

    response = get(signed_in(jean), f"/mon-compte/compte/{hmp_account.pk}/situation/")

    row = re.search(rf"<tr><td>{day:%d/%m}</td>.*?</tr>", response.text).group(0)
    assert "&lt;b&gt;Avoir&lt;/b&gt; régularisation" in row  # the ERP's label, escaped
    assert '−1\u202f234,56\u00a0€<span class="visually-hidden"> en votre faveur</span>' in row
    assert "-764,26\u00a0€" in row  # the running balance: 470,30 € owed, then this credit


def test_a_long_ledger_opens_on_the_last_twelve_months(jean):
    hmp_account = account("hmp", "000123")
    for month in range(1, 13):
        LedgerEntryFactory(account=hmp_account, date=datetime.date(2020, month, 1))
    client = signed_in(jean)

    recent = text_of(get(client, f"/mon-compte/compte/{hmp_account.pk}/situation/"))
    everything = text_of(get(client, f"/mon-compte/compte/{hmp_account.pk}/situation/?tout=1"))

    assert recent.count("Solde au début du mois") == 12
    assert "Afficher tout l'historique (6 mois plus anciens)" in recent
    assert "Janvier 2020" not in recent
    assert everything.count("Solde au début du mois") == 18
    assert "Janvier 2020" in everything


def test_the_history_downloads_as_a_csv_a_spreadsheet_reads(jean):
    hmp_account = account("hmp", "000123")
    # Dated after the demo ledger's last line (the demo ends in the current month), so it is
    # the CSV's last row whatever the day the suite runs.
    last_date = hmp_account.ledger_entries.latest("date").date
    LedgerEntryFactory(
        account=hmp_account,
        date=last_date + datetime.timedelta(days=1),
        label='=HYPERLINK("http://x")',
        amount_cents=100,
    )

    response = get(signed_in(jean), f"/mon-compte/compte/{hmp_account.pk}/situation.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="situation-compte-000123-'
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Date",
        "Libellé",
        "Type",
        "Mois concerné",
        "À payer",
        "En votre faveur",
        "Solde",
    ]
    payment = next(row for row in rows if row[1] == "Paiement reçu, merci")
    assert payment[4] == "" and payment[5] == "470,30"
    assert rows[-1][1] == '\'=HYPERLINK("http://x")'
    assert rows[-1][6] == "471,30"


def test_the_number_of_queries_does_not_grow_with_the_ledger(jean):
    hmp_account = account("hmp", "000123")
    client = signed_in(jean)
    paths = [
        "/mon-compte/",
        f"/mon-compte/compte/{hmp_account.pk}/",
        f"/mon-compte/compte/{hmp_account.pk}/situation/?tout=1",
        f"/mon-compte/compte/{hmp_account.pk}/situation.csv",
    ]

    def queries():
        counts = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert get(client, path).status_code == 200
            counts.append(len(captured))
        return counts

    queries()  # the first request of a session saves it once more
    short_ledger = queries()
    ten_years = [
        LedgerEntry(
            account=hmp_account,
            reference=f"OLD-{year}-{month}-{kind}",
            date=datetime.date(year, month, 1),
            label="Loyer" if kind == "c" else "Paiement reçu",
            kind=LedgerEntry.Kind.CHARGE if kind == "c" else LedgerEntry.Kind.PAYMENT,
            amount_cents=47030 if kind == "c" else -47030,
            period=datetime.date(year, month, 1),
            category="loyer" if kind == "c" else "paiement",
        )
        for year in range(2010, 2020)
        for month in range(1, 13)
        for kind in "cp"
    ]
    LedgerEntry.objects.bulk_create(ten_years)

    assert queries() == short_ledger


@pytest.mark.parametrize(
    "label", ['=HYPERLINK("http://x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_the_history_csv_writes_a_formula_as_text_and_amounts_as_numbers(jean, label):
    hmp_account = account("hmp", "000123")
    LedgerEntryFactory(account=hmp_account, label=label, amount_cents=-(10**9))

    response = get(signed_in(jean), f"/mon-compte/compte/{hmp_account.pk}/situation.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows if row[1].endswith(label[1:])] == [f"'{label}"]
    amounts = [cell for row in rows[1:] for cell in row[4:] if cell]
    assert any(cell.startswith("-") for cell in amounts)  # the large credit: a negative balance
    assert all(re.fullmatch(r"-?\d+,\d\d", cell) for cell in amounts), amounts
