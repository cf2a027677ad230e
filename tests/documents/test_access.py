"""Only signatories of an account see its documents: anyone else gets 404, like a missing page."""

import pytest
from django.test import Client

from accounts.models import User
from documents.models import IssuedDocument
from tests.documents.conftest import (
    NOVEMBER,
    OCTOBER,
    client_for,
    drain,
    monthly,
    obtain,
    payment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tenants(make_account):
    mine = make_account("000111")
    theirs = make_account("000222", names=[("MARTIN", "Léa")])
    for account in (mine, theirs):
        monthly(account, OCTOBER)
        payment(account, OCTOBER.replace(day=5), 47030)
        monthly(account, NOVEMBER)
        payment(account, NOVEMBER.replace(day=5), 47030)
    return mine, theirs


def account_urls(account_id):
    base = f"/mon-compte/compte/{account_id}/documents"
    return [
        f"{base}/",
        f"{base}/avis/2026-11/",
        f"{base}/avis/2026-11.pdf",
        f"{base}/paiement/2026-10/",
        f"{base}/paiement/2026-10.pdf",
        f"{base}/attestation/",
        f"{base}/attestation.pdf",
    ]


def test_every_document_url_of_another_tenants_account_is_404(two_tenants):
    mine, theirs = two_tenants
    client = client_for(mine)

    for url in account_urls(theirs.pk):
        assert client.get(url).status_code == 404, url
    assert not IssuedDocument.objects.filter(account=theirs).exists()
    assert not theirs.rent_notices.exists()


def test_my_own_urls_answer(two_tenants):
    mine, _ = two_tenants
    client = client_for(mine)

    for url in account_urls(mine.pk):
        response = drain(client.get(url))
        assert response.status_code in (200, 302), url
    # Following a link (or a prefetch) issues nothing: only the button's POST does.
    assert not IssuedDocument.objects.exists()


def test_a_document_of_another_account_is_404_even_through_my_account(two_tenants):
    mine, theirs = two_tenants
    obtain(
        client_for(theirs, "theirs@exemple.com"),
        f"/mon-compte/compte/{theirs.pk}/documents/paiement/2026-10.pdf",
    )
    their_document = IssuedDocument.objects.get(account=theirs)
    client = client_for(mine)

    for url in (
        f"/mon-compte/compte/{mine.pk}/documents/emis/{their_document.pk}/",
        f"/mon-compte/compte/{mine.pk}/documents/emis/{their_document.pk}.pdf",
        f"/mon-compte/compte/{theirs.pk}/documents/emis/{their_document.pk}.pdf",
    ):
        assert client.get(url).status_code == 404, url


def test_the_same_account_on_another_landlords_host_is_404(two_tenants):
    from tests.factories import LandlordFactory

    mine, _ = two_tenants
    client = client_for(mine)
    obtain(client, f"/mon-compte/compte/{mine.pk}/documents/paiement/2026-10.pdf")
    my_document = IssuedDocument.objects.get(account=mine)
    LandlordFactory(slug="autre", host="autre.localhost")

    # The same person signed in on the other landlord's own host.
    there = Client()
    there.force_login(User.objects.get(accesses__signatory__lease__account=mine))

    for url in [
        *account_urls(mine.pk),
        f"/mon-compte/compte/{mine.pk}/documents/emis/{my_document.pk}/",
        f"/mon-compte/compte/{mine.pk}/documents/emis/{my_document.pk}.pdf",
    ]:
        assert there.get(url, HTTP_HOST="autre.localhost").status_code == 404, url
        # And the session of the account's own landlord is not honoured there.
        assert client.get(url, HTTP_HOST="autre.localhost").status_code == 302, url


def test_signed_out_visitors_are_sent_to_sign_in(two_tenants):
    from django.test import Client

    mine, _ = two_tenants
    client = Client(HTTP_HOST=mine.landlord.primary_host)

    for url in account_urls(mine.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/login/" in response["Location"], url
