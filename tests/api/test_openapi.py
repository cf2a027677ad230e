"""The committed OpenAPI documents are the code's, and the API keeps to docs/openapi.json
(schemathesis: no server error, every response as documented)."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.openapi import rendered
from tests.api.conftest import AppClient

REGENERATE = "DJANGO_SETTINGS_MODULE=config.test_settings .venv/bin/python manage.py app_openapi"


def test_the_committed_openapi_documents_are_the_codes():
    for path, text in rendered().items():
        assert path.read_text() == text, f"{path.name} is out of date: run {REGENERATE}"


schema = schemathesis.openapi.from_path(
    str(next(path for path in rendered() if path.name == "openapi.json"))
)
schema.app = get_wsgi_application()
schema.config.generation.update(modes=["positive"], max_examples=8)
# Starting a payment opens the provider's page: the walk tests cover it (test_walk.py).
schema = schema.exclude(method="POST", path_regex="/paiements$")


@pytest.fixture
def signed_in_token(demo, make_tenant, db):
    user = make_tenant("aubervilliers")
    app = AppClient("aubervilliers")
    app.sign_in(user.email)
    return app.token


# Runs once, in `make test` (SQLite): on PostgreSQL its generated cases break the test
# database's connection (an open question, see the closing note of 2026-12-02).
@pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""), reason="schemathesis runs on SQLite"
)
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_documented(case, signed_in_token):
    case.call_and_validate(
        base_url="http://aubervilliers.localhost",
        headers={"X-Session-Token": signed_in_token},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
