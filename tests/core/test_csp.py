"""The Content-Security-Policy on every response, and its report endpoint."""

import json
import logging

import pytest
from django.core.files.base import ContentFile

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"
STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "report-uri /csp-rapport/",
]


def policy(response) -> list[str]:
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        (HOST, "/", 200),
        (HOST, "/compte/login/", 200),
        (HOST, "/page-inexistante/", 404),
        (HOST, "/api/docs", 200),
        (HOST, "/static/css/site.css", 200),
        ("localhost", "/", 200),
        ("localhost", "/admin/login/", 302),
        ("localhost", "/page-inexistante/", 404),
        ("inconnu.localhost", "/", 404),
    ],
)
def test_every_response_carries_the_strict_policy(client, landlord, host, path, status):
    response = client.get(path, HTTP_HOST=host)
    response.close()

    assert response.status_code == status
    parts = policy(response)
    assert set(STRICT) <= set(parts)
    assert not any("unsafe" in part for part in parts)
    images = "img-src 'self' data:" if path == "/api/docs" else "img-src 'self'"
    assert images in parts


def test_the_logo_keeps_its_own_sandbox_policy(client, landlord):
    landlord.logo.save("logo.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))

    response = client.get("/logo", HTTP_HOST=HOST)
    response.close()

    assert response["Content-Security-Policy"].endswith("sandbox")


def report(client, body, address="192.0.2.1", content_type="application/csp-report"):
    return client.post(
        "/csp-rapport/",
        data=body,
        content_type=content_type,
        HTTP_HOST=HOST,
        REMOTE_ADDR=address,
    )


def test_a_violation_report_is_logged_on_one_bounded_line(client, landlord, caplog):
    body = json.dumps(
        {
            "csp-report": {
                "document-uri": "https://hmp.localhost/mon-compte/",
                "violated-directive": "script-src-elem",
                "blocked-uri": "https://evil.example/" + "x" * 5000,
                "original-policy": "default-src 'self'",
            }
        }
    )
    with caplog.at_level(logging.WARNING, logger="espace.csp"):
        response = report(client, body)

    assert response.status_code == 204
    [record] = caplog.records
    assert "script-src-elem" in record.getMessage()
    assert "https://evil.example/" in record.getMessage()
    assert len(record.getMessage()) < 1000
    assert "original-policy" not in record.getMessage()


def test_a_reporting_api_batch_and_garbage_are_both_answered_204(client, landlord, caplog):
    batch = json.dumps([{"type": "csp-violation", "body": {"effectiveDirective": "img-src"}}])
    with caplog.at_level(logging.WARNING, logger="espace.csp"):
        assert report(client, batch, content_type="application/reports+json").status_code == 204
        assert report(client, "pas du JSON").status_code == 204

    messages = [record.getMessage() for record in caplog.records]
    assert messages == ['CSP violation: {"effectiveDirective": "img-src"}']


def test_a_report_flood_is_throttled_per_address(client, landlord, caplog):
    body = json.dumps({"csp-report": {"violated-directive": "style-src"}})
    with caplog.at_level(logging.WARNING, logger="espace.csp"):
        answers = {report(client, body).status_code for _ in range(200)}
        other = report(client, body, address="192.0.2.99")

    assert answers == {204} and other.status_code == 204
    assert len(caplog.records) == 20 + 1  # 20 from the flooding address, then the other one


def test_a_report_is_posted_not_fetched(client, landlord):
    assert client.get("/csp-rapport/", HTTP_HOST=HOST).status_code == 405
