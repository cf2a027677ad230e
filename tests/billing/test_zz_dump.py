import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_dump(tenant):
    jean = tenant("hmp", email="jean@exemple.com")
    c = Client()
    c.force_login(jean)
    c.get("/mon-compte/", HTTP_HOST="hmp.localhost")
    from tenancies.models import TenantAccount
    acc = TenantAccount.objects.get(landlord__slug="hmp", number="000123")
    for path in ["/mon-compte/", f"/mon-compte/{acc.pk}/situation/", "/documents/"]:
        with CaptureQueriesContext(connection) as q:
            r = c.get(path, HTTP_HOST="hmp.localhost")
        print("\n=====", path, r.status_code, len(q))
        for x in q.captured_queries:
            print("  ", x["sql"][:300])
