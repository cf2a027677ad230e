"""Mon logement and Mes contacts, with the demo data of each landlord."""

import pytest
from django.test import Client

from servicerequests.models import Family, ServiceRequest
from tenancies.models import TenantAccount

pytestmark = pytest.mark.django_db

DEMO = {
    "hmp": ("000123", "Résidence Les Oliviers", "Nadia HAMIDI", "04 65 71 99 99"),
    "hdf": ("590000000012345", "Résidence du Beffroi", "Patrick LEFEBVRE", "03 53 48 99 99"),
    "auvergne": ("0212345678901", "Résidence Les Puys", "Sylvie MOREL", "04 73 00 99 99"),
    "aubervilliers": ("123456", "Résidence Villette", "Karim BENALI", "01 48 00 99 99"),
}


def signed_in(tenant, slug):
    client = Client(HTTP_HOST=f"{slug}.localhost")
    client.force_login(tenant(slug))
    account = TenantAccount.objects.get(landlord__slug=slug, number=DEMO[slug][0])
    return client, account


@pytest.mark.parametrize("slug", DEMO)
def test_mon_logement_shows_the_dwelling_and_the_last_notice(tenant, slug):
    client, account = signed_in(tenant, slug)
    _number, residence, caretaker, emergency = DEMO[slug]

    response = client.get(f"/mon-compte/compte/{account.pk}/logement/")

    assert response.status_code == 200
    assert residence in response.text
    assert caretaker in response.text
    assert emergency in response.text
    assert "Loyer et charges de votre dernier avis" in response.text
    assert "Surface habitable" in response.text


@pytest.mark.parametrize("slug", DEMO)
def test_mes_contacts_shows_the_agency_the_caretaker_and_the_emergency_number(tenant, slug):
    client, account = signed_in(tenant, slug)
    _number, _residence, caretaker, emergency = DEMO[slug]

    text = client.get(f"/mon-compte/compte/{account.pk}/contacts/").text

    assert account.agency.name in text
    assert account.agency.phone in text
    assert caretaker in text
    assert emergency in text
    assert "Contacter mon agence" in text


def test_contacter_mon_agence_creates_an_administrative_request(tenant):
    client, account = signed_in(tenant, "hmp")
    category = account.landlord.request_categories.get(name="Demande d'attestation")

    response = client.post(
        f"/mon-compte/compte/{account.pk}/contacts/",
        {"category": category.pk, "description": "Il me faut une attestation de loyer."},
    )

    created = ServiceRequest.objects.get()
    assert response["Location"] == f"/mon-compte/demandes/{created.public_id}/"
    assert created.category.family == Family.ADMINISTRATIVE
    assert created.account == account


def test_contacter_mon_agence_refuses_an_empty_message_and_a_technical_category(tenant):
    client, account = signed_in(tenant, "hmp")
    technical = account.landlord.request_categories.get(name="Plomberie")
    url = f"/mon-compte/compte/{account.pk}/contacts/"

    empty = client.post(url, {"description": " "})
    wrong = client.post(url, {"category": technical.pk, "description": "Fuite"})

    assert empty.status_code == 400 and "Écrivez votre message." in empty.text
    assert wrong.status_code == 400 and "Choisissez un sujet de la liste." in wrong.text
    assert not ServiceRequest.objects.exists()


def test_another_tenants_dwelling_and_contacts_answer_404(tenant):
    client, _account = signed_in(tenant, "hmp")
    other = TenantAccount.objects.get(landlord__slug="hmp", number="000789")

    assert client.get(f"/mon-compte/compte/{other.pk}/logement/").status_code == 404
    assert client.get(f"/mon-compte/compte/{other.pk}/contacts/").status_code == 404
    assert client.post(f"/mon-compte/compte/{other.pk}/contacts/", {}).status_code == 404
