"""Bodies of machine endpoints are bounded before they are read: 413, nothing parsed."""

import socket

import pytest
from django.test import Client

from core.http import SMALL_BODY_LIMIT
from payments.models import PaymentEvent
from tests.factories import LandlordFactory

HOST = "hmp.localhost"


class EndlessBody:
    """A chunked upload that never ends (as gunicorn hands it over): counts what is read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 1024 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return b"a" * size

    def readline(self, size=-1):
        return self.read(size)


def chunked_post(path, content_type):
    body = EndlessBody()
    response = Client().post(
        path,
        data=b"",
        content_type=content_type,
        HTTP_HOST=HOST,
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
        **{"wsgi.input": body},
    )
    return response, body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/paiement/notification/", "application/x-www-form-urlencoded"),
        ("/api/paiements/lots", "application/json"),
        ("/csp-rapport/", "application/csp-report"),
    ],
)
def test_a_chunked_body_without_length_is_read_only_up_to_the_limit(path, content_type):
    LandlordFactory(slug="hmp")

    response, body = chunked_post(path, content_type)

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.text
    assert body.read_bytes <= SMALL_BODY_LIMIT + 1
    assert not PaymentEvent.objects.exists()


@pytest.mark.django_db
def test_a_declared_length_over_the_limit_is_refused_without_reading(client):
    LandlordFactory(slug="hmp")
    body = EndlessBody()

    response = client.post(
        "/paiement/notification/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_HOST=HOST,
        CONTENT_LENGTH=str(SMALL_BODY_LIMIT + 1),
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    assert body.read_bytes == 0


@pytest.mark.django_db
def test_a_body_at_the_limit_is_read_and_answered_as_usual(client):
    LandlordFactory(slug="hmp")
    data = "vads_order_id=" + "x" * (SMALL_BODY_LIMIT - len("vads_order_id="))

    response = client.post(
        "/paiement/notification/",
        data=data,
        content_type="application/x-www-form-urlencoded",
        HTTP_HOST=HOST,
    )

    assert response.status_code == 400  # read, parsed and refused as unsigned
    assert response.text == "KO"


def test_a_200_mb_notification_gets_413_before_it_is_sent(live_server, transactional_db):
    """Against the real server: it answers after the headers and a few bytes, not 200 MB."""
    LandlordFactory(slug="hmp")
    port = int(live_server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            b"POST /paiement/notification/ HTTP/1.1\r\n"
            b"Host: hmp.localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode()
            + b"vads_order_id="
            + b"x" * 4096
        )
        reply = connection.recv(65536)

    assert reply.startswith(b"HTTP/1.1 413")
    assert not PaymentEvent.objects.exists()
