import pytest
from django.core.files.base import ContentFile

from tests.factories import AgencyFactory, LandlordFactory, LandlordHostFactory

pytestmark = pytest.mark.django_db


def test_platform_host_lists_each_active_landlord_with_a_link_to_its_host(client):
    LandlordFactory(name="Habitat Marseille Provence", slug="hmp")
    LandlordFactory(name="Auvergne Habitat", slug="auvergne")
    LandlordFactory(name="Bailleur fermé", slug="ferme", is_active=False)

    response = client.get("/", HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    assert b'href="http://hmp.localhost:8000/"' in response.content
    assert b'href="http://auvergne.localhost:8000/"' in response.content
    assert "Bailleur fermé" not in response.text


def test_landlord_host_shows_its_own_branded_home(client):
    landlord = LandlordFactory(name="Auvergne Habitat", slug="auvergne", brand_color="#2d6a1f")
    AgencyFactory(landlord=landlord, name="Agence de Clermont-Ferrand", phone="04 65 71 10 01")
    LandlordFactory(name="Habitat Hauts-de-France", slug="hdf")

    response = client.get("/", HTTP_HOST="auvergne.localhost:8000")

    assert response.status_code == 200
    assert "<title>Mon espace locataire – Auvergne Habitat</title>" in response.text
    assert "Agence de Clermont-Ferrand" in response.text
    assert 'href="tel:0465711001"' in response.text
    assert "Habitat Hauts-de-France" not in response.text
    assert response.text.count("<h1") == 1
    theme = client.get("/theme.css", HTTP_HOST="auvergne.localhost")
    assert theme["Content-Type"].startswith("text/css")
    assert b"--brand: #2d6a1f" in theme.content


def test_any_of_a_landlords_host_names_serves_it(client):
    landlord = LandlordFactory(name="Habitat Hauts-de-France", slug="hdf")
    LandlordHostFactory(landlord=landlord, hostname="Locataires.Exemple.localhost")

    response = client.get("/", HTTP_HOST="locataires.exemple.localhost")

    assert "Habitat Hauts-de-France" in response.text


def test_unknown_host_gets_a_plain_404_that_names_no_landlord(client):
    LandlordFactory(name="Habitat Marseille Provence", slug="hmp")

    response = client.get("/", HTTP_HOST="inconnu.localhost")

    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert "Habitat" not in response.text
    assert "hmp" not in response.text


def test_inactive_landlord_answers_exactly_like_an_unknown_host(client):
    LandlordFactory(slug="ferme", is_active=False)

    inactive = client.get("/", HTTP_HOST="ferme.localhost")
    unknown = client.get("/", HTTP_HOST="inconnu.localhost")

    assert inactive.status_code == unknown.status_code == 404
    assert inactive.content == unknown.content
    assert sorted(inactive.headers.items()) == sorted(unknown.headers.items())


def test_host_outside_allowed_hosts_is_refused(client):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_platform_pages_are_not_served_on_a_landlord_host_and_vice_versa(client):
    LandlordFactory(slug="hmp")

    assert client.get("/cgu/", HTTP_HOST="localhost").status_code == 404
    assert client.get("/cgu/", HTTP_HOST="hmp.localhost").status_code == 200


def test_terms_page_shows_the_landlords_text_and_version(client):
    LandlordFactory(slug="hmp", terms_text="Article 1 : objet du service.", terms_version="2026-01")

    response = client.get("/cgu/", HTTP_HOST="hmp.localhost")

    assert "Article 1 : objet du service." in response.text
    assert "Version 2026-01" in response.text


def test_logo_is_served_from_storage_and_cannot_run_scripts(client):
    landlord = LandlordFactory(slug="hmp")
    landlord.logo.save("hmp.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))

    response = client.get("/logo", HTTP_HOST="hmp.localhost")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"<svg" in response.content


def test_landlord_without_logo_has_no_logo_url(client):
    LandlordFactory(slug="hmp")

    assert client.get("/logo", HTTP_HOST="hmp.localhost").status_code == 404
    assert 'src="/logo"' not in client.get("/", HTTP_HOST="hmp.localhost").text


def test_addresses_printed_outside_the_site_carry_the_public_scheme_and_port(landlord, settings):
    settings.HTTPS = False
    settings.PUBLIC_PORT = 8000
    assert landlord.public_url("/verifier/") == "http://hmp.localhost:8000/verifier/"

    settings.HTTPS = True
    settings.PUBLIC_PORT = 0
    assert landlord.public_url("/inscription/") == "https://hmp.localhost/inscription/"
