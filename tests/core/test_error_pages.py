"""French error pages on every host, branded where the landlord is known, revealing nothing."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"
NAME = "Habitat Marseille Provence"


def assert_reveals_nothing(response, path=""):
    text = response.text
    assert '<html lang="fr">' in text
    assert text.count("<h1") == 1
    assert "Traceback" not in text and "Exception" not in text
    assert "CSRF" not in text and "DEBUG" not in text
    if path:
        assert path not in text


def test_a_missing_page_is_branded_on_a_landlords_host_and_plain_on_the_platform(landlord):
    branded = Client().get("/nulle-part-42/", HTTP_HOST=HOST)
    plain = Client().get("/nulle-part-42/", HTTP_HOST="localhost")

    assert branded.status_code == plain.status_code == 404
    assert "Page introuvable" in branded.text and NAME in branded.text
    assert 'href="/theme.css"' in branded.text
    assert "Page introuvable" in plain.text and NAME not in plain.text
    assert_reveals_nothing(branded, "nulle-part-42")
    assert_reveals_nothing(plain, "nulle-part-42")


def test_a_form_posted_without_its_csrf_token_gets_a_french_403(landlord):
    response = Client(enforce_csrf_checks=True).post(
        "/compte/login/", {"login": "x@exemple.com", "password": "x"}, HTTP_HOST=HOST
    )

    assert response.status_code == 403
    assert "Formulaire expiré" in response.text and NAME in response.text
    assert_reveals_nothing(response)


def test_a_form_field_over_the_upload_limit_gets_the_french_413(landlord, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = Client().post(
        "/compte/login/", {"login": "x" * 2000, "password": "x"}, HTTP_HOST=HOST
    )

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text and NAME in response.text
    assert_reveals_nothing(response)


def test_a_host_outside_the_allowed_ones_gets_a_plain_french_400(landlord):
    response = Client().get("/", HTTP_HOST="portail.pirate.example")

    assert response.status_code == 400
    assert "Demande incorrecte" in response.text and NAME not in response.text
    assert_reveals_nothing(response, "pirate")


def test_a_server_error_is_branded_and_says_nothing_of_the_failure(landlord, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("landlords.views.render", broken)

    response = Client(raise_request_exception=False).get("/", HTTP_HOST=HOST)

    assert response.status_code == 500
    assert "momentanément indisponible" in response.text and NAME in response.text
    assert "secret detail" not in response.text
    assert_reveals_nothing(response)


def test_a_forbidden_page_gets_the_french_403(landlord):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from config.views import permission_denied

    request = RequestFactory().get("/", HTTP_HOST=HOST)
    request.landlord = landlord
    response = permission_denied(request, PermissionDenied("secret detail"))

    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert "secret detail" not in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "options"])
def test_the_outbox_does_not_exist_outside_the_demo_whatever_the_method(landlord, settings, method):
    settings.DEMO = False

    response = getattr(Client(enforce_csrf_checks=True), method)("/outbox/", HTTP_HOST=HOST)

    assert response.status_code == 404
    assert "Page introuvable" in response.text
