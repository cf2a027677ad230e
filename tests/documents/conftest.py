import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from freezegun import freeze_time
from pypdf import PdfReader

from billing.models import LedgerEntry
from demo.loading import logo_svg
from tests.factories import (
    AccessFactory,
    AgencyFactory,
    LandlordFactory,
    LeaseFactory,
    LedgerEntryFactory,
    LedgerPeriodFactory,
    SignatoryFactory,
    TenantAccountFactory,
)

HOST = "oph.localhost"
TODAY = datetime.date(2026, 11, 20)
NOVEMBER = datetime.date(2026, 11, 1)
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    """20 November 2026, 10:00 in Paris: November's rent (due the 5th) is past due."""
    with freeze_time("2026-11-20 09:00:00"):
        yield


@pytest.fixture
def oph(db):
    landlord = LandlordFactory(
        slug="oph",
        name="OPH d'Aubervilliers",
        account_number_label="N° Intitulé",
        brand_color="#00558c",
        postal_address="OPH d'Aubervilliers\n122 rue André Karman\n93300 Aubervilliers",
        rent_due_day=5,
        host=HOST,
    )
    landlord.logo.save("oph.svg", ContentFile(logo_svg("OPH", "#00558c")))
    return landlord


def charge(
    account,
    period,
    label,
    cents,
    category="loyer",
    kind=LedgerEntry.Kind.CHARGE,
    close=True,
):
    """A line billed for the month; the month is closed (its notice exists) unless
    close=False."""
    if close:
        LedgerPeriodFactory(landlord=account.landlord, period=period)
    return LedgerEntryFactory(
        account=account,
        date=period,
        period=period,
        label=label,
        kind=kind,
        amount_cents=cents,
        category=category,
    )


def payment(account, day, cents):
    return LedgerEntryFactory(
        account=account,
        date=day,
        label="Paiement reçu, merci",
        kind=LedgerEntry.Kind.PAYMENT,
        amount_cents=-cents,
        category="paiement",
    )


def monthly(account, period, rent=41230, charges=5800):
    charge(account, period, "Loyer", rent)
    charge(account, period, "Provision pour charges", charges, "charges")


@pytest.fixture
def make_account(oph):
    """An account of the landlord with its lease and signatories: make_account("000123")."""

    def make(number="000123", names=(("DUPOND", "Jean"),), landlord=None):
        landlord = landlord or oph
        agency = AgencyFactory(landlord=landlord, name="Agence Centre", city="Aubervilliers")
        account = TenantAccountFactory(landlord=landlord, number=number, agency=agency)
        lease = LeaseFactory(
            account=account,
            reference=f"C-{number}",
            address="10 rue Hémet",
            postal_code="93300",
            city="Aubervilliers",
            start_date=datetime.date(2019, 6, 1),
        )
        for position, (last, first) in enumerate(names, 1):
            SignatoryFactory(lease=lease, position=position, last_name=last, first_name=first)
        return account

    return make


@pytest.fixture
def account(make_account):
    return make_account()


def client_for(account, email=None) -> Client:
    """A signed-in client of the account's first signatory, on the landlord's host."""
    signatory = account.leases.first().signatories.order_by("position").first()
    user = AccessFactory(
        user__email=email or f"{account.number}@exemple.com",
        user__password="Loyer-Payé-2026",
        user__verified=False,
        signatory=signatory,
    ).user
    client = Client(HTTP_HOST=account.landlord.primary_host)
    client.force_login(user)
    return client


@pytest.fixture
def tenant_client(account):
    return client_for(account)


def pdf_text(content: bytes) -> str:
    """The PDF's text as a reader extracts it, spaces normalised."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def drain(response):
    """Read a streamed PDF to its end: the test client then closes its file."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def obtain(client, url) -> bytes:
    """Issue a receipt or certificate as the button does (POST to its page), then download
    its PDF: `url` is the document's .pdf address."""
    if "/avis/" in url:  # a notice: a plain download
        return download(client, url)
    page = url.removesuffix(".pdf") + "/"
    response = client.post(page)
    assert response.status_code == 302, response.status_code
    return download(client, url)


def page_text(response) -> str:
    import html

    text = re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode()))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)
