"""The ERP's API: token of this host's landlord only; batches marked exported exactly once."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.timezone import localtime

from payments.models import ApiToken, Payment
from payments.services import create_api_token
from tests.factories import LandlordFactory
from tests.payments.conftest import ipn, notify, pay, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(landlord):
    out = io.StringIO()
    call_command("create_api_token", "--landlord", "hmp", "--name", "ERP", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def paid(systempay, make_account):
    account, user = make_account(47030)
    pay(signed_in(user), account, "470,30")
    payment = Payment.objects.get()
    notify(ipn(payment))
    payment.refresh_from_db()
    return payment


def api(method, path, token=None, host="hmp.localhost"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(Client(), method)(f"/api{path}", HTTP_HOST=host, **headers)


def test_a_new_batch_carries_each_confirmed_payment_once(paid, token):
    first = api("post", "/paiements/lots", token)

    assert first.status_code == 200
    body = first.json()
    assert body["lot"] == 1
    assert body["paiements"] == [
        {
            "compte": paid.account.number,
            "reference": paid.reference,
            "date": f"{localtime(paid.confirmed_at):%Y-%m-%d}",
            "heure": f"{localtime(paid.confirmed_at):%H:%M:%S}",
            "montant_cents": 47030,
            "libelle": "Paiement en ligne",
            "prestataire": "systempay",
            "transaction": paid.provider_transaction_id,
            "type": "paiement",
            "paiement": paid.reference,
        }
    ]
    again = api("post", "/paiements/lots", token).json()
    assert again == {"lot": None, "exporte_le": None, "paiements": []}
    assert api("get", "/paiements/lots/1", token).json()["paiements"] == body["paiements"]


def test_the_token_is_stored_hashed(token):
    stored = ApiToken.objects.get()
    assert token.split(".")[1] not in stored.secret_hash
    assert stored.key_id == token.split(".")[0]


@pytest.mark.parametrize(
    "presented",
    [None, "nimporte.quoi", "{key_id}.mauvais-secret", "{key_id}", "{secret}"],
)
def test_a_missing_or_wrong_token_is_refused(paid, token, presented):
    key_id, secret = token.split(".")
    presented = presented and presented.format(key_id=key_id, secret=secret)
    answer = api("post", "/paiements/lots", presented)
    assert answer.status_code == 401
    assert Payment.objects.get().export is None


def test_another_landlords_token_is_refused(paid, token):
    other = LandlordFactory(slug="autre")
    _stored, other_token = create_api_token(other, "ERP")
    assert api("post", "/paiements/lots", other_token).status_code == 401
    assert api("post", "/paiements/lots", token, host="autre.localhost").status_code == 401


def test_an_unknown_batch_is_404(token):
    assert api("get", "/paiements/lots/3", token).status_code == 404


def test_the_openapi_documentation_is_reachable_and_needs_no_third_party(landlord):
    docs = api("get", "/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui" in docs.content.decode()
    assert "cdn." not in docs.content.decode()
    schema = api("get", "/openapi.json").json()
    assert "/api/paiements/lots" in schema["paths"]


@pytest.mark.parametrize("transaction", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_batch_carries_a_text_starting_like_a_formula_as_text(paid, token, transaction):
    Payment.objects.filter(pk=paid.pk).update(provider_transaction_id=transaction)

    line = api("post", "/paiements/lots", token).json()["paiements"][0]

    assert line["transaction"] == f"'{transaction}"
    assert line["montant_cents"] == 47030
