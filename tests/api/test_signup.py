"""Sign-up from a store app: the web's steps and rules, in JSON, then activation through
allauth's headless endpoint with the key of the emailed link, then sign-in."""

import re

import pytest

from accounts.models import User
from tests.accounts.conftest import activation_link, last_email_to, sms_code, solved_captcha
from tests.api.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CREDENTIALS = {
    "email": "jean.dupond@exemple.com",
    "email_confirmation": "jean.dupond@exemple.com",
    "mot_de_passe": PASSWORD,
    "mot_de_passe_confirmation": PASSWORD,
    "cgu_acceptees": True,
}


def test_sign_up_by_signatory_details_then_activate_and_sign_in(demo, app_client, mailoutbox):
    app = app_client("hmp")
    rules = app.get("/api/app/inscription").json()
    assert rules["etapes"] == ["identite", "identifiants"]
    assert rules["preuve_identite"] == "signatory_details"

    wrong = app.post(
        "/api/app/inscription/identite",
        {"numero": "000123", "nom": "DUPOND", "prenom": "Paul", "date_naissance": "10/09/1975"},
    )
    assert wrong.status_code == 400
    assert wrong.json()["detail"].startswith("Ces informations ne correspondent à aucun signataire")
    bad_format = app.post("/api/app/inscription/identite", {"numero": "12"})
    assert bad_format.status_code == 400
    assert "numero" in bad_format.json()["erreurs"]

    step = app.keep_token(
        app.post(
            "/api/app/inscription/identite",
            {"numero": "000123", "nom": "Dupond", "prenom": "Jean", "date_naissance": "10/09/1975"},
        )
    )
    assert step.json()["etape_suivante"] == "identifiants"
    assert app.token

    mismatch = app.post(
        "/api/app/inscription/identifiants",
        {**CREDENTIALS, "mot_de_passe_confirmation": "autre-chose-2026"},
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["erreurs"]["mot_de_passe_confirmation"] == [
        "Les deux mots de passe ne sont pas identiques."
    ]
    done = app.post("/api/app/inscription/identifiants", CREDENTIALS)
    assert done.status_code == 200, done.json()
    assert done.json()["etape_suivante"] == "activation"
    assert User.objects.filter(email="jean.dupond@exemple.com").exists()

    link = activation_link(last_email_to("jean.dupond@exemple.com"))
    assert link.startswith("http://hmp.localhost/compte/confirm-email/")
    key = re.search(r"/confirm-email/([^/]+)/", link)[1]
    # The key opens only on the host that sent it.
    other = app_client("aubervilliers")
    assert other.post("/_allauth/app/v1/auth/email/verify", {"key": key}).status_code == 400

    fresh = app_client("hmp")
    assert fresh.sign_in("jean.dupond@exemple.com").status_code == 401  # not activated yet
    # Verified within the pending sign-in: the app is signed in (a new session token).
    verified = fresh.keep_token(fresh.post("/_allauth/app/v1/auth/email/verify", {"key": key}))
    assert verified.status_code == 200, verified.json()
    assert verified.json()["meta"]["is_authenticated"] is True
    assert [a["numero"] for a in fresh.get("/api/app/comptes").json()] == ["000123"]


def test_sign_up_by_sms_with_the_anti_robot_check(demo, app_client, settings, mailoutbox):
    app = app_client("hdf")
    rules = app.get("/api/app/inscription").json()
    assert rules["etapes"] == ["identite", "telephone", "code", "identifiants"]
    assert rules["anti_robot"] is True
    assert set(app.get("/api/app/anti-robot").json()) >= {"challenge", "salt", "signature"}

    no_captcha = app.post("/api/app/inscription/identite", {"numero": "590000000012345"})
    assert no_captcha.status_code == 400
    assert "anti_robot" in no_captcha.json()["erreurs"]
    app.keep_token(
        app.post(
            "/api/app/inscription/identite",
            {"numero": "590000000012345", "anti_robot": solved_captcha()},
        )
    )
    wrong_phone = app.post("/api/app/inscription/telephone", {"telephone": "06 00 00 00 00"})
    assert wrong_phone.status_code == 400
    assert wrong_phone.json()["erreurs"]["telephone"][0].startswith("Ce numéro ne correspond pas")
    sent = app.keep_token(
        app.post("/api/app/inscription/telephone", {"telephone": "06 12 34 56 61"})
    )
    assert sent.json()["etape_suivante"] == "code"
    proven = app.keep_token(app.post("/api/app/inscription/code", {"code": sms_code(settings)}))
    assert proven.json()["etape_suivante"] == "identifiants"
    done = app.post(
        "/api/app/inscription/identifiants",
        {**CREDENTIALS, "email": "sophie@exemple.com", "email_confirmation": "sophie@exemple.com"}
        | {"anti_robot": solved_captcha()},
    )
    assert done.status_code == 200, done.json()
    # No activation by email at this landlord: the access works at once.
    assert done.json()["etape_suivante"] == "connexion"
    assert last_email_to("sophie@exemple.com")
    signed_in = app_client("hdf").sign_in("590000000012345")
    assert signed_in.status_code == 200, signed_in.json()


def test_a_step_without_a_sign_up_in_progress_says_it_expired(demo, app_client):
    app = app_client("hdf")
    expired = app.post("/api/app/inscription/code", {"code": "123456"})
    assert expired.status_code == 409
    assert expired.json()["detail"] == "Votre inscription a expiré : merci de recommencer."
