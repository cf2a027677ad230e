"""The French 503 page when the database or the cache fails mid-request, and /sante/ (issue 18).

The real parts are stopped in tests/system/ and tests/core/test_redis_outage.py; here the
failure is raised where it would surface, to check every path answers the page.
"""

import logging
import re
from pathlib import Path

import lxml.html
import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from config.views import service_unavailable
from core import outage

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"
NAME = "Habitat Marseille Provence"
MESSAGE = "Le service est momentanément indisponible, réessayez dans quelques minutes"


@pytest.fixture(autouse=True)
def fresh_outage_log(monkeypatch):
    monkeypatch.setattr(outage, "_last_logged", {})


def broken(error):
    def fail(*args, **kwargs):
        raise error

    return fail


@pytest.mark.parametrize(
    "error", [OperationalError("server closed the connection"), RedisConnectionError("refused")]
)
def test_a_page_whose_database_or_cache_fails_answers_the_branded_french_503(
    landlord, monkeypatch, caplog, error
):
    monkeypatch.setattr("landlords.views.render", broken(error))

    with caplog.at_level(logging.INFO):
        first = Client(raise_request_exception=False).get("/", HTTP_HOST=HOST)
        second = Client(raise_request_exception=False).get("/", HTTP_HOST=HOST)

    for response in (first, second):
        assert response.status_code == 503
        assert MESSAGE in response.text and NAME in response.text
        assert response["Retry-After"] == "120"
        assert "server closed" not in response.text and "Traceback" not in response.text
    # One line for the operator, not a traceback per request.
    outage_lines = [r for r in caplog.records if r.name == "espace.outage"]
    assert len(outage_lines) == 1
    assert not [r for r in caplog.records if r.name == "django.request"]


def test_the_database_gone_before_the_host_is_known_still_names_the_landlord(landlord, monkeypatch):
    assert Client().get("/", HTTP_HOST=HOST).status_code == 200
    monkeypatch.setattr(
        "landlords.middleware.landlord_host", broken(OperationalError("connection refused"))
    )

    response = Client(raise_request_exception=False).post(
        "/paiement/notification/", {"vads_trans_id": "1"}, HTTP_HOST=HOST
    )

    # A payment provider gets an error status, so it sends its notification again later.
    assert response.status_code == 503
    assert MESSAGE in response.text and NAME in response.text


def test_a_bug_is_still_a_500(landlord, monkeypatch):
    monkeypatch.setattr("landlords.views.render", broken(RuntimeError("bug")))

    response = Client(raise_request_exception=False).get("/", HTTP_HOST=HOST)

    assert response.status_code == 500


def test_health_answers_ok_on_any_host_without_personal_data(landlord):
    for host in (HOST, "localhost", "10.0.0.7"):
        response = Client().get("/sante/", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.text == "ok\n"
        assert response["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in response


def test_health_answers_503_when_the_database_does_not(landlord, monkeypatch):
    class Refusing:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr("core.health.connection.cursor", Refusing)

    response = Client().get("/sante/", HTTP_HOST=HOST)

    assert response.status_code == 503
    assert response.text == "indisponible\n"


LOAD_BALANCER_PAGE = Path(__file__).resolve().parents[2] / "deploy/haproxy/503-fr.http"


def said(page: str) -> list[str]:
    """The title and what the page's main part says, paragraph by paragraph."""
    tree = lxml.html.fromstring(page)
    title = tree.findtext(".//title").split(" – ")[0]
    return [title] + [
        " ".join(e.text_content().split()) for e in tree.find(".//main").iter("h1", "p")
    ]


def test_the_load_balancers_503_says_what_the_portals_says():
    """When every web process fails /sante/, haproxy answers with deploy/haproxy/503-fr.http
    (`errorfile 503`): a tenant reads the same French page as the portal's."""
    raw = LOAD_BALANCER_PAGE.read_bytes()
    head, body = raw.split(b"\r\n\r\n", 1)
    status, *headers = head.decode("ascii").split("\r\n")
    portal = service_unavailable(RequestFactory().get("/", HTTP_HOST="localhost"))

    assert status == "HTTP/1.0 503 Service Unavailable"
    assert "Content-Type: text/html; charset=utf-8" in headers
    assert f"Retry-After: {portal['Retry-After']}" in headers
    assert said(body.decode()) == said(portal.content.decode())
    assert MESSAGE in said(body.decode())[2]
    # Self-contained: nothing to fetch from web processes that are all down.
    assert not re.search(r"\b(src|href)=", body.decode())
