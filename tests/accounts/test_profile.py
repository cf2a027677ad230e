"""Mon compte > Mes infos: email, password, phones, consent, devices, my data, closing."""

import csv
import datetime
import io
import json
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.codes import codes_match
from accounts.models import Access, MobileChange, NewsConsent, User
from billing.models import LedgerEntry
from landlords.models import Landlord
from tenancies.models import Lease, Signatory, TenantAccount
from tests.accounts.conftest import last_email_to, last_sms, sms_code, text_of
from tests.accounts.test_signup_by_signatory_details import identity
from tests.factories import AccessFactory, NewsConsentFactory, TermsAcceptanceFactory

pytestmark = pytest.mark.django_db

HOST = "aubervilliers.localhost"
PASSWORD = "Loyer-Payé-2026"
NEW_PASSWORD = "Un-nouveau-loyer-2027"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)


def get(client, path, **extra):
    return client.get(path, HTTP_HOST=HOST, **extra)


def post(client, path, data=None, **extra):
    return client.post(path, data or {}, HTTP_HOST=HOST, **extra)


def signed_in(user, user_agent=ANDROID) -> Client:
    """Another browser, signed in as `user`, seen once (so that it is a listed device)."""
    client = Client(HTTP_USER_AGENT=user_agent)
    client.force_login(user)
    assert get(client, "/mon-compte/mes-infos/").status_code == 200
    return client


def is_signed_in(client) -> bool:
    return get(client, "/mon-compte/mes-infos/").status_code == 200


def sign_in(login, password, host=HOST):
    client = Client()
    response = client.post("/compte/login/", {"login": login, "password": password}, HTTP_HOST=host)
    return response.status_code == 302 and response["Location"] == "/mon-compte/"


@pytest.fixture
def jean(tenant):
    return tenant("aubervilliers", email="jean@exemple.com")


@pytest.fixture
def browser(jean):
    """Jean's phone, signed in on OPH d'Aubervilliers' portal."""
    return signed_in(jean)


def test_mes_infos_lists_the_identifiers_with_a_link_to_each_action(browser):
    page = text_of(get(browser, "/mon-compte/mes-infos/"))

    assert page.count("<h1") == 1
    assert "<h1>Mes infos</h1>" in page
    assert "jean@exemple.com" in page
    for link in [
        "Modifier mon adresse email",
        "Modifier mon mot de passe",
        "Modifier mes numéros de téléphone",
        "Recevoir les actualités",
        "Voir mes appareils connectés",
        "Activer la vérification en deux étapes",
        "Télécharger mes données",
        "Fermer mon accès",
    ]:
        assert link in page


def test_mes_infos_needs_a_signed_in_tenant(client, demo):
    response = get(client, "/mon-compte/mes-infos/")

    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


# Email


def change_email(client, email, password=PASSWORD):
    return post(client, "/mon-compte/mes-infos/email/", {"email": email, "password": password})


def confirmation_link(address: str) -> str:
    return re.search(r"https?://\S+/compte/confirm-email/\S+/", last_email_to(address).body)[0]


def test_a_new_email_becomes_the_login_once_confirmed_and_the_old_one_is_told(browser, jean):
    response = change_email(browser, "Jean.Nouveau@exemple.com")

    assert response["Location"] == "/mon-compte/mes-infos/"
    page = text_of(get(browser, "/mon-compte/mes-infos/"))
    assert "Un lien de confirmation a été envoyé à jean.nouveau@exemple.com" in page
    message = last_email_to("jean.nouveau@exemple.com")
    assert message.subject == "OPH d'Aubervilliers : confirmez votre nouvelle adresse email"
    assert "Confirmer ma nouvelle adresse" in message.alternatives[0][0]
    # Until the link is opened, nothing changes.
    jean.refresh_from_db()
    assert jean.email == "jean@exemple.com"
    assert sign_in("jean@exemple.com", PASSWORD)
    assert not sign_in("jean.nouveau@exemple.com", PASSWORD)

    link = confirmation_link("jean.nouveau@exemple.com")
    assert link.startswith("http://aubervilliers.localhost/")
    page = text_of(get(browser, link))
    assert "<title>Confirmation de votre nouvelle adresse email" in page
    assert "<h1>Confirmation de votre nouvelle adresse email</h1>" in page
    assert "Activation de votre accès" not in page
    assert "à la place de l'actuelle" in page
    post(browser, link)

    jean.refresh_from_db()
    assert jean.email == "jean.nouveau@exemple.com"
    assert list(EmailAddress.objects.filter(user=jean).values_list("email", "verified")) == [
        ("jean.nouveau@exemple.com", True)
    ]
    notice = last_email_to("jean@exemple.com")
    assert notice.subject == "OPH d'Aubervilliers : votre adresse email de connexion a changé"
    assert "est désormais jean.nouveau@exemple.com (au lieu de jean@exemple.com)" in notice.body
    assert "Si vous n'êtes pas à l'origine de ce changement" in notice.body
    assert sign_in("jean.nouveau@exemple.com", PASSWORD)
    assert not sign_in("jean@exemple.com", PASSWORD)


def test_a_wrong_password_refuses_the_email_change(browser, jean):
    response = change_email(browser, "jean.nouveau@exemple.com", password="pas-le-bon")

    assert response.status_code == 200
    assert "Mot de passe actuel : Mot de passe incorrect." in text_of(response)
    assert not EmailAddress.objects.filter(email="jean.nouveau@exemple.com").exists()
    assert not mail.outbox


def test_the_email_change_needs_the_current_password(browser):
    response = change_email(browser, "jean.nouveau@exemple.com", password="")

    assert "Saisissez votre mot de passe actuel." in text_of(response)
    assert not EmailAddress.objects.filter(email="jean.nouveau@exemple.com").exists()


def test_the_current_address_is_not_a_change(browser):
    response = change_email(browser, "JEAN@exemple.com")

    assert "C'est déjà votre adresse email." in text_of(response)
    assert not mail.outbox


def test_an_address_another_user_has_gets_the_same_reply_and_changes_nothing(browser, jean, tenant):
    marie = tenant("hmp", email="marie@exemple.com")

    taken = change_email(browser, "marie@exemple.com")

    assert taken["Location"] == "/mon-compte/mes-infos/"
    page = text_of(get(browser, "/mon-compte/mes-infos/"))
    assert "Un lien de confirmation a été envoyé à marie@exemple.com" in page
    assert not mail.outbox
    assert list(EmailAddress.objects.filter(user=jean).values_list("email", flat=True)) == [
        "jean@exemple.com"
    ]
    assert list(EmailAddress.objects.filter(user=marie).values_list("email", "verified")) == [
        ("marie@exemple.com", True)
    ]
    assert sign_in("marie@exemple.com", PASSWORD, host="hmp.localhost")


def test_a_cross_site_post_cannot_change_the_email(jean):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(jean)

    response = change_email(forged, "pirate@exemple.com")

    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="pirate@exemple.com").exists()
    assert not mail.outbox


# Password


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirmation=None):
    return post(
        client,
        "/mon-compte/mes-infos/mot-de-passe/",
        {"oldpassword": current, "password1": new, "password2": confirmation or new},
    )


def test_a_password_change_keeps_this_session_ends_the_others_and_says_so(browser, jean):
    other_device = signed_in(jean, IPHONE)
    page = text_of(get(browser, "/mon-compte/mes-infos/mot-de-passe/"))
    for label in ["Mot de passe actuel", "Nouveau mot de passe", "Confirmation", "Modifier"]:
        assert label in page

    response = change_password(browser)

    assert response["Location"] == "/mon-compte/mes-infos/"
    jean.refresh_from_db()
    assert jean.check_password(NEW_PASSWORD)
    assert is_signed_in(browser)
    assert not is_signed_in(other_device)
    assert UserSession.objects.filter(user=jean).count() == 1
    notice = last_email_to("jean@exemple.com")
    assert notice.subject == "OPH d'Aubervilliers : votre mot de passe a été modifié"
    assert "Vos autres appareils ont été déconnectés" in notice.body


def test_a_password_change_without_the_current_password_is_refused(browser, jean):
    response = change_password(browser, current="")

    assert "Saisissez votre mot de passe actuel." in text_of(response)
    jean.refresh_from_db()
    assert jean.check_password(PASSWORD)
    assert not mail.outbox


def test_a_password_change_with_a_wrong_current_password_is_refused(browser, jean):
    response = change_password(browser, current="Pas-le-bon-mot-de-passe-1")

    assert "Mot de passe actuel : Mot de passe incorrect." in text_of(response)
    jean.refresh_from_db()
    assert jean.check_password(PASSWORD)


def test_guessing_the_current_password_is_slowed_down(browser, jean):
    for _ in range(5):
        change_password(browser, current="Pas-le-bon-mot-de-passe-1")

    response = change_password(browser)

    assert "Trop de tentatives" in text_of(response)
    jean.refresh_from_db()
    assert jean.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("new", "confirmation", "message"),
    [
        ("courtcourt", None, "Nouveau mot de passe :"),
        (NEW_PASSWORD, "Un-autre-loyer-2027", "Confirmation :"),
    ],
)
def test_the_new_password_follows_the_landlords_rule_and_its_confirmation(
    browser, jean, new, confirmation, message
):
    response = change_password(browser, new=new, confirmation=confirmation)

    assert message in text_of(response)
    jean.refresh_from_db()
    assert jean.check_password(PASSWORD)


# Phones


def change_phones(client, landline="", mobile=""):
    return post(
        client,
        "/mon-compte/mes-infos/telephones/",
        {"landline_phone": landline, "mobile_phone": mobile},
    )


def enter_code(client, code):
    return post(client, "/mon-compte/mes-infos/telephones/code/", {"code": code})


def test_the_landline_is_saved_at_once_a_new_mobile_after_its_sms_code(browser, jean, settings):
    response = change_phones(browser, landline="01 48 11 22 33", mobile="06 12 34 56 78")

    assert response["Location"] == "/mon-compte/mes-infos/telephones/code/"
    jean.refresh_from_db()
    assert jean.landline_phone == "+33148112233"
    assert jean.mobile_phone == ""
    sms = last_sms(settings)
    assert sms["to"] == "+33612345678"
    assert "OPH d'Aubervilliers" in sms["text"]
    code = sms_code(settings)
    stored = MobileChange.objects.get(user=jean)
    assert code not in stored.code_hash
    assert codes_match(code, stored.code_hash)
    assert "06 12 34 56 78" in text_of(get(browser, "/mon-compte/mes-infos/telephones/code/"))

    wrong = enter_code(browser, "000000" if code != "000000" else "111111")
    assert "Code incorrect. Il vous reste 4 essais." in text_of(wrong)
    jean.refresh_from_db()
    assert jean.mobile_phone == ""

    assert enter_code(browser, code)["Location"] == "/mon-compte/mes-infos/"
    jean.refresh_from_db()
    assert jean.mobile_phone == "+33612345678"
    page = text_of(get(browser, "/mon-compte/mes-infos/"))
    assert "06 12 34 56 78" in page
    assert "01 48 11 22 33" in page


def test_a_mobile_code_dies_after_five_wrong_tries(browser, jean, settings):
    change_phones(browser, mobile="06 12 34 56 78")
    code = sms_code(settings)
    wrong = "000000" if code != "000000" else "111111"

    for _ in range(4):
        enter_code(browser, wrong)
    last_try = enter_code(browser, wrong)
    assert "saisi trop de fois" in text_of(last_try)

    response = enter_code(browser, code)
    assert response["Location"] == "/mon-compte/mes-infos/telephones/"
    jean.refresh_from_db()
    assert jean.mobile_phone == ""


def test_a_mobile_code_expires_after_ten_minutes(browser, jean, settings):
    change_phones(browser, mobile="06 12 34 56 78")
    change = MobileChange.objects.get(user=jean)
    assert change.expires_at - change.created_at == datetime.timedelta(minutes=10)
    MobileChange.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = enter_code(browser, sms_code(settings))

    assert "Ce code a expiré" in text_of(response)
    jean.refresh_from_db()
    assert jean.mobile_phone == ""


def test_a_new_code_replaces_the_previous_one(browser, jean, settings):
    change_phones(browser, mobile="06 12 34 56 78")
    first = sms_code(settings)

    post(browser, "/mon-compte/mes-infos/telephones/code/renvoyer/")
    second = sms_code(settings)
    if first != second:
        assert "Code incorrect" in text_of(enter_code(browser, first))
    assert enter_code(browser, second)["Location"] == "/mon-compte/mes-infos/"
    jean.refresh_from_db()
    assert jean.mobile_phone == "+33612345678"


def test_a_sixth_mobile_code_within_the_hour_is_refused_as_at_sign_up(browser, jean, settings):
    change_phones(browser, mobile="06 12 34 56 78")
    for _ in range(4):
        post(browser, "/mon-compte/mes-infos/telephones/code/renvoyer/")
    assert MobileChange.objects.filter(user=jean).count() == 5

    refused = post(browser, "/mon-compte/mes-infos/telephones/code/renvoyer/", follow=True)

    assert MobileChange.objects.filter(user=jean).count() == 5
    # The same words as the sign-up's (tests/accounts/test_signup_by_phone.py).
    assert (
        "Vous avez demandé trop de codes en une heure. Réessayez plus tard ou contactez "
        "votre agence." in text_of(refused)
    )


def test_a_bad_phone_number_changes_nothing(browser, jean, settings):
    response = change_phones(browser, landline="01 48 11 22 33", mobile="01 02")

    assert "Saisissez un numéro de téléphone valide" in text_of(response)
    jean.refresh_from_db()
    assert (jean.landline_phone, jean.mobile_phone) == ("", "")
    assert not list(settings.OUTBOX_DIR.glob("*.json"))


# Consent to the landlord's news


def test_the_news_consent_toggles_and_each_change_is_kept_with_its_date(browser, jean):
    aubervilliers = Landlord.objects.get(slug="aubervilliers")
    NewsConsentFactory(user=jean, landlord=Landlord.objects.get(slug="hmp"), granted=True)
    assert "Vous ne recevez pas par email les actualités" in text_of(
        get(browser, "/mon-compte/mes-infos/")
    )

    post(browser, "/mon-compte/mes-infos/actualites/", {"granted": "true"})
    page = text_of(get(browser, "/mon-compte/mes-infos/"))
    assert "Vous acceptez de recevoir par email les actualités envoyées par l'OPH" in page
    assert f"(choix fait le {timezone.localtime():%d/%m/%Y} à " in page
    assert "Ne plus recevoir les actualités" in page

    post(browser, "/mon-compte/mes-infos/actualites/", {"granted": "false"})
    post(browser, "/mon-compte/mes-infos/actualites/", {"granted": "false"})
    post(browser, "/mon-compte/mes-infos/actualites/", {"granted": "peut-être"})

    history = NewsConsent.objects.filter(user=jean, landlord=aubervilliers).order_by("pk")
    assert [consent.granted for consent in history] == [True, False]
    assert NewsConsent.objects.get(user=jean, landlord__slug="hmp").granted is True
    assert "Vous ne recevez pas par email" in text_of(get(browser, "/mon-compte/mes-infos/"))


# Signed-in devices


def test_each_signed_in_device_is_listed_and_can_be_signed_out(browser, jean, tenant):
    iphone = signed_in(jean, IPHONE)
    stranger = signed_in(tenant("hmp", email="marie@exemple.com"))
    strangers_session = UserSession.objects.exclude(user=jean).get()

    page = text_of(get(browser, "/mon-compte/mes-infos/appareils/"))
    assert "Chrome sur Android (cet appareil)" in page
    assert "Safari sur iPhone" in page
    assert page.count(">Déconnecter</button>") == 2

    iphone_session = UserSession.objects.get(user=jean, user_agent=IPHONE)
    response = post(browser, "/mon-compte/mes-infos/appareils/", {"session": iphone_session.pk})
    assert response["Location"] == "/mon-compte/mes-infos/appareils/"
    assert not is_signed_in(iphone)
    assert is_signed_in(browser)

    post(browser, "/mon-compte/mes-infos/appareils/", {"session": strangers_session.pk})
    assert is_signed_in(stranger)


def test_signing_out_this_device_from_the_list_signs_out(browser, jean):
    session = UserSession.objects.get(user=jean)

    response = post(browser, "/mon-compte/mes-infos/appareils/", {"session": session.pk})

    assert response["Location"] == "/compte/login/"
    assert not is_signed_in(browser)


# My data


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_my_data_is_a_zip_of_my_personal_data_and_my_ledger(browser, jean):
    landlord = Landlord.objects.get(slug="aubervilliers")
    TermsAcceptanceFactory(user=jean, landlord=landlord, version="2026-01")
    NewsConsentFactory(user=jean, landlord=landlord, granted=True)
    jean.mobile_phone = "+33612345678"
    jean.save()

    response = get(browser, "/mon-compte/mes-infos/mes-donnees.zip")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mes-donnees-aubervilliers-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    archive = read_zip(response)
    assert sorted(archive.namelist()) == [
        "donnees-personnelles.json",
        "ecritures-compte-123456.csv",
    ]
    data = json.loads(archive.read("donnees-personnelles.json"))
    assert data["identifiant"]["email"] == "jean@exemple.com"
    assert data["identifiant"]["telephone_mobile"] == "+33612345678"
    assert data["acces"][0]["compte"] == "123456"
    assert data["acces"][0]["ville"]
    assert data["cgu_acceptees"][0]["version"] == "2026-01"
    assert data["consentement_actualites"][0]["accepte"] is True

    rows = list(
        csv.reader(
            io.StringIO(archive.read("ecritures-compte-123456.csv").decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0] == [
        "Date",
        "Libellé",
        "Type",
        "Mois concerné",
        "À payer",
        "En votre faveur",
        "Solde",
    ]
    account = TenantAccount.objects.get(landlord=landlord, number="123456")
    assert len(rows) - 1 == account.ledger_entries.count()
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", rows[1][0])
    assert all(re.fullmatch(r"-?\d+,\d\d", row[6]) for row in rows[1:])
    # The balance of the guide's rent notice: 610,68 €.
    assert rows[-1][6] == "610,68"


def test_my_data_holds_only_my_accounts_at_this_landlord(tenant):
    jean = tenant("hmp", email="jean@exemple.com")
    aubervilliers_signatory = Signatory.objects.get(lease__account__number="123456")
    AccessFactory(user=jean, signatory=aubervilliers_signatory)
    client = Client()
    client.force_login(jean)

    response = client.get("/mon-compte/mes-infos/mes-donnees.zip", HTTP_HOST="hmp.localhost")

    archive = read_zip(response)
    assert sorted(archive.namelist()) == [
        "donnees-personnelles.json",
        "ecritures-compte-000123.csv",
    ]
    data = json.loads(archive.read("donnees-personnelles.json"))
    assert [access["compte"] for access in data["acces"]] == ["000123"]


def test_my_data_needs_a_signed_in_tenant(client, demo):
    response = get(client, "/mon-compte/mes-infos/mes-donnees.zip")

    assert response.status_code == 302


# Closing the access


def close(client, password=PASSWORD, confirm=True):
    data = {"password": password} | ({"confirm": "on"} if confirm else {})
    return post(client, "/mon-compte/mes-infos/fermer-mon-acces/", data)


def tenancy_records():
    return [model.objects.count() for model in (TenantAccount, Lease, Signatory, LedgerEntry)]


def test_closing_the_access_deletes_the_login_and_keeps_the_tenancy(browser, jean, client):
    records = tenancy_records()
    iphone = signed_in(jean, IPHONE)

    response = close(browser)

    assert response["Location"] == "/mon-compte/acces-ferme/"
    assert "Votre accès est fermé" in text_of(get(browser, response["Location"]))
    assert not User.objects.filter(email="jean@exemple.com").exists()
    assert not Access.objects.exists()
    assert not EmailAddress.objects.filter(email="jean@exemple.com").exists()
    assert tenancy_records() == records
    assert not is_signed_in(browser)
    assert not is_signed_in(iphone)
    goodbye = last_email_to("jean@exemple.com")
    assert goodbye.subject == "OPH d'Aubervilliers : votre accès à l'espace locataire est fermé"
    assert not sign_in("jean@exemple.com", PASSWORD)

    # The signatory can sign up again.
    assert identity(client, HOST)["Location"] == "/inscription/identifiants/"


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("pas-le-bon", True, "Mot de passe incorrect."),
        ("", True, "Saisissez votre mot de passe actuel."),
        (PASSWORD, False, "Cochez la case pour confirmer la fermeture de votre accès."),
    ],
)
def test_closing_the_access_needs_the_password_and_the_confirmation(
    browser, jean, password, confirm, message
):
    response = close(browser, password=password, confirm=confirm)

    assert message in text_of(response)
    assert User.objects.filter(pk=jean.pk).exists()
    assert Access.objects.filter(user=jean).exists()
    assert is_signed_in(browser)
    assert not mail.outbox
