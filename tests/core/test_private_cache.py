"""One policy: personal pages and documents are never kept by a cache."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HOST = "hmp.localhost"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path", ["/mon-compte/", "/mon-compte/mes-infos/", "/", "/cgu/", "/page-inexistante/"]
)
def test_every_page_to_a_signed_in_tenant_is_private_and_not_stored(tenant, path):
    response = signed_in(tenant("hmp")).get(path, HTTP_HOST=HOST)

    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response


def test_each_account_page_is_not_stored(tenant):
    user = tenant("hmp")
    client = signed_in(user)
    account = user.accounts().first()

    for path in [
        f"/mon-compte/compte/{account.pk}/",
        f"/mon-compte/compte/{account.pk}/situation/",
        f"/mon-compte/compte/{account.pk}/reglement/",
    ]:
        response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path


def test_a_public_page_to_a_visitor_says_nothing_and_the_brand_stays_cacheable(tenant, client):
    assert "Cache-Control" not in client.get("/", HTTP_HOST=HOST)
    assert "public" in client.get("/theme.css", HTTP_HOST=HOST)["Cache-Control"]
    signed_in_theme = signed_in(tenant("hmp")).get("/theme.css", HTTP_HOST=HOST)
    assert "public" in signed_in_theme["Cache-Control"]
