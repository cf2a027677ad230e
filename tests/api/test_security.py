"""The app API keeps the web's rules: a token opens only on the landlord's host that issued
it, sign-in is throttled, another tenant's objects answer 404, sign-out ends the token."""

import pytest
from django.test import Client

from servicerequests.models import RequestCategory
from tenancies.models import Signatory
from tests.accounts.conftest import last_email_to
from tests.api.conftest import PASSWORD
from tests.factories import AccessFactory

pytestmark = pytest.mark.django_db

SESSION = "/_allauth/app/v1/auth/session"


def test_a_token_issued_on_one_landlords_host_is_refused_on_anothers(tenant, app_client):
    user = tenant("hmp")
    # The same person also signs a lease at Aubervilliers: the token still opens only at HMP.
    signatory = Signatory.objects.filter(lease__account__landlord__slug="aubervilliers").first()
    AccessFactory(user=user, signatory=signatory)
    hmp = app_client("hmp")
    assert hmp.sign_in(user.email).status_code == 200
    assert hmp.get("/api/app/comptes").status_code == 200

    elsewhere = app_client("aubervilliers")
    elsewhere.token = hmp.token
    assert elsewhere.get("/api/app/comptes").status_code == 410
    assert elsewhere.get(SESSION).status_code == 410
    # Still valid where it was issued.
    assert hmp.get("/api/app/comptes").status_code == 200


def test_without_a_token_or_with_the_portals_cookie_the_api_answers_401(tenant, app_client):
    user = tenant("hmp")
    app = app_client("hmp")
    assert app.get("/api/app/comptes").status_code == 401
    browser = Client(HTTP_HOST="hmp.localhost")
    browser.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert browser.get("/mon-compte/").status_code == 200
    assert browser.get("/api/app/comptes").status_code == 401


def test_sign_in_is_throttled_as_on_the_web(tenant, app_client):
    user = tenant("hmp")
    app = app_client("hmp")
    for _ in range(5):
        wrong = app.sign_in(user.email, "pas-le-bon-mot-de-passe")
        assert wrong.status_code == 400
    held = app.sign_in(user.email)
    assert held.status_code == 400
    assert "Trop de tentatives" in held.json()["errors"][0]["message"]
    assert app.token is None


def test_the_tenant_code_signs_in_where_the_landlord_says_so(tenant, app_client):
    tenant("hdf")
    app = app_client("hdf")
    wrong = app.sign_in("590000000012345", "pas-le-bon-mot-de-passe")
    assert wrong.status_code == 400
    assert "ne sont pas corrects" in wrong.json()["errors"][0]["message"]
    assert app.sign_in("590000000012345").status_code == 200


def test_another_tenants_objects_answer_404(tenant, app_client):
    me, other = tenant("hmp"), tenant("hdf")
    theirs = app_client("hdf")
    theirs.sign_in("590000000012345")
    their_account = theirs.get("/api/app/comptes").json()[0]["id"]
    category = RequestCategory.objects.filter(landlord__slug="hdf").first()
    their_request = theirs.post(
        f"/api/app/comptes/{their_account}/demandes",
        {"categorie": category.pk, "description": "Fuite sous l'évier."},
    )
    assert their_request.status_code == 201, their_request.json()
    their_request_id = their_request.json()["identifiant"]
    assert other.email != me.email

    app = app_client("hmp")
    app.sign_in(me.email)
    for path in [
        f"/api/app/comptes/{their_account}",
        f"/api/app/comptes/{their_account}/historique",
        f"/api/app/comptes/{their_account}/documents",
        f"/api/app/comptes/{their_account}/avis/2026-11/pdf",
        f"/api/app/comptes/{their_account}/attestation/pdf",
        f"/api/app/demandes/{their_request_id}",
    ]:
        assert app.get(path).status_code == 404, path
    paid = app.post(f"/api/app/comptes/{their_account}/paiements", {"montant_cents": 2000})
    assert paid.status_code == 404
    assert app.get("/api/app/demandes").json() == []


def test_sign_out_ends_the_token(tenant, app_client):
    user = tenant("auvergne")
    app = app_client("auvergne")
    app.sign_in(user.email)
    assert app.get("/api/app/moi").json()["email"] == user.email
    assert app.delete(SESSION).status_code == 401
    assert app.get("/api/app/moi").status_code == 410


def test_a_reset_link_is_sent_only_to_a_login_of_this_landlord(tenant, app_client, mailoutbox):
    user = tenant("hmp")
    elsewhere = app_client("aubervilliers")
    assert (
        elsewhere.post("/_allauth/app/v1/auth/password/request", {"email": user.email}).status_code
        == 200
    )
    assert "/compte/password/reset/key/" not in last_email_to(user.email).body
    here = app_client("hmp")
    assert (
        here.post("/_allauth/app/v1/auth/password/request", {"email": user.email}).status_code
        == 200
    )
    assert "http://hmp.localhost/compte/password/reset/key/" in last_email_to(user.email).body


def test_requests_news_and_profile(tenant, app_client):
    user = tenant("aubervilliers")
    app = app_client("aubervilliers")
    app.sign_in(user.email)
    account = app.get("/api/app/comptes").json()[0]["id"]
    categories = app.get(f"/api/app/comptes/{account}/categories").json()
    empty = app.post(
        f"/api/app/comptes/{account}/demandes",
        {"categorie": categories[0]["id"], "description": "  "},
    )
    assert empty.status_code == 400
    assert empty.json()["detail"] == "Décrivez votre demande."
    created = app.post(
        f"/api/app/comptes/{account}/demandes",
        {"categorie": categories[0]["id"], "description": "La porte du hall ne ferme plus."},
    ).json()
    assert created["etat"] == "envoyee"
    assert [r["identifiant"] for r in app.get("/api/app/demandes").json()] == [
        created["identifiant"]
    ]
    detail = app.get(f"/api/app/demandes/{created['identifiant']}").json()
    assert [step["etat"] for step in detail["etapes"]] == ["envoyee"]

    assert isinstance(app.get("/api/app/actualites").json(), list)
    history = app.get(f"/api/app/comptes/{account}/historique").json()
    assert history["solde_cents"] == 61068

    changed = app.patch(
        "/api/app/moi", {"telephone_fixe": "01 23 45 67 89", "actualites_par_email": True}
    ).json()
    assert changed["profil"]["telephone_fixe"] == "01 23 45 67 89"
    assert changed["profil"]["actualites_par_email"] is True
    bad = app.patch("/api/app/moi", {"telephone_mobile": "01 23 45 67 89"})
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Saisissez un numéro de téléphone portable (06 ou 07)."


def test_the_token_never_becomes_a_cookie_and_the_documents_are_served(tenant, app_client):
    user = tenant("hmp")
    app = app_client("hmp")
    signed_in = app.sign_in(user.email)
    assert "sessionid" not in signed_in.cookies
    assert "sessionid" not in app.get("/api/app/comptes").cookies
    assert app.get("/api/app/openapi.json").json()["info"]["title"].startswith("Espace Locataire")
    assert "/_allauth/app/v1/auth/login" in app.get("/_allauth/openapi.json").json()["paths"]
    challenge = app.get("/api/app/anti-robot").json()
    assert {"algorithm", "challenge", "salt", "signature"} <= set(challenge)
