import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import PhoneCode, User
from accounts.signup import create_activation_letter
from tenancies.models import Signatory, TenantAccount
from tests.accounts.conftest import last_sms, sms_code, solved_captcha, text_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOST = "hdf.localhost"
NUMBER = "590000000012345"


def start(client, number=NUMBER):
    return client.post(
        "/inscription/", {"account_number": number, "captcha": solved_captcha()}, HTTP_HOST=HOST
    )


def give_phone(client, phone="06 12 34 56 61"):
    return client.post("/inscription/telephone/", {"phone": phone}, HTTP_HOST=HOST)


def give_credentials(client, **phones):
    """The last step, Sophie's email and a password of HDF's rule, with these phones."""
    return client.post(
        "/inscription/identifiants/",
        {
            "email": "sophie@exemple.com",
            "email2": "sophie@exemple.com",
            "password1": "Lille2026",
            "password2": "Lille2026",
            **phones,
            "terms": "on",
            "captcha": solved_captcha(),
        },
        HTTP_HOST=HOST,
    )


def give_code(client, code):
    return client.post("/inscription/code/", {"code": code}, HTTP_HOST=HOST)


def test_hauts_de_france_sign_up_checks_the_mobile_then_an_sms_code(client, demo, settings):
    assert "Code locataire" in text_of(client.get("/inscription/", HTTP_HOST=HOST))
    assert start(client)["Location"] == "/inscription/telephone/"

    page = client.get("/inscription/telephone/", HTTP_HOST=HOST)
    assert "06*****61" in text_of(page)
    assert "Inscription étape 2 / 4" in text_of(page)
    assert "Je ne connais pas ce numéro" in text_of(page)

    assert give_phone(client)["Location"] == "/inscription/code/"
    sms = last_sms(settings)
    assert sms["to"] == "+33612345661"
    assert "Habitat Hauts-de-France" in sms["text"]

    assert give_code(client, sms_code(settings))["Location"] == "/inscription/identifiants/"
    page = client.get("/inscription/identifiants/", HTTP_HOST=HOST)
    assert "Téléphone fixe" in text_of(page)
    assert "Téléphone mobile" in text_of(page)
    assert "des majuscules, des minuscules et au moins un chiffre" in text_of(page)

    response = give_credentials(
        client, landline_phone="03 53 48 11 22", mobile_phone="06 12 34 56 61"
    )
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.landline_phone, user.mobile_phone) == ("+33353481122", "+33612345661")
    assert user.accesses.get().signatory.last_name == "LEROY"


def test_identity_step_needs_the_anti_robot_check(client, demo):
    response = client.post("/inscription/", {"account_number": NUMBER}, HTTP_HOST=HOST)

    assert response.status_code == 200
    assert "La vérification anti-robot n'a pas abouti" in text_of(response)


def test_a_replayed_anti_robot_proof_is_refused(client, demo):
    proof = solved_captcha()
    client.post("/inscription/", {"account_number": NUMBER, "captcha": proof}, HTTP_HOST=HOST)

    other = type(client)()
    again = other.post(
        "/inscription/", {"account_number": NUMBER, "captcha": proof}, HTTP_HOST=HOST
    )

    assert "a expiré" in text_of(again)


def test_the_anti_robot_check_is_asked_once_per_sign_up_and_survives_other_errors(client, demo):
    page = client.post(
        "/inscription/", {"account_number": "12", "captcha": solved_captcha()}, HTTP_HOST=HOST
    )
    assert "n'a pas le bon format" in text_of(page)
    assert "altcha-widget" not in text_of(page)

    client.post("/inscription/", {"account_number": NUMBER}, HTTP_HOST=HOST)
    assert "altcha-widget" not in text_of(client.get("/inscription/", HTTP_HOST=HOST))


def test_the_widget_is_calibrated_and_says_what_to_do_without_javascript(client, demo):
    from accounts.captcha import MAX_NUMBER

    page = text_of(client.get("/inscription/", HTTP_HOST=HOST))

    assert f'maxnumber="{MAX_NUMBER}"' in page
    assert MAX_NUMBER <= 20_000
    assert "Activez JavaScript dans les réglages de votre navigateur" in page


def test_unknown_account_shows_a_made_up_mask_that_reveals_nothing(client, demo):
    start(client, "590000000099999")

    page = client.get("/inscription/telephone/", HTTP_HOST=HOST)
    assert "06*****" in text_of(page)
    response = give_phone(client, "06 12 34 56 61")
    assert "Ce numéro ne correspond pas" in text_of(response)
    assert not PhoneCode.objects.exists()


def test_a_wrong_mobile_sends_nothing(client, demo, settings):
    start(client)

    response = give_phone(client, "06 00 00 00 00")

    assert "Ce numéro ne correspond pas" in text_of(response)
    assert not PhoneCode.objects.exists()


def test_a_wrong_code_five_times_kills_the_code(client, demo, settings):
    start(client)
    give_phone(client)
    good = sms_code(settings)
    wrong = "000000" if good != "000000" else "111111"

    for left in (4, 3, 2, 1):
        assert f"Il vous reste {left} essai" in text_of(give_code(client, wrong))
    assert "saisi trop de fois" in text_of(give_code(client, wrong))

    assert "plus valable" in text_of(give_code(client, good))
    assert not User.objects.exists()


def test_an_expired_code_is_refused(client, demo, settings):
    start(client)
    give_phone(client)
    PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = give_code(client, sms_code(settings))

    assert "Ce code a expiré" in text_of(response)


def test_resending_the_code_twenty_times_sends_five(client, demo, settings):
    start(client)
    give_phone(client)

    for _ in range(19):
        client.post("/inscription/code/renvoyer/", HTTP_HOST=HOST)
    last = client.post("/inscription/code/renvoyer/", HTTP_HOST=HOST, follow=True)

    assert PhoneCode.objects.count() == 5
    assert "Vous avez demandé trop de codes" in text_of(last)
    sent = [f for f in settings.OUTBOX_DIR.glob("*.json")]
    assert len(sent) == 5
    assert give_code(client, sms_code(settings))["Location"] == "/inscription/identifiants/"


def test_i_do_not_know_this_number_shows_the_agency_and_flags_the_account(client, demo):
    start(client)

    page = client.get("/inscription/telephone-inconnu/", HTTP_HOST=HOST)

    assert "Contacter votre agence" in text_of(page)
    assert "Agence de Lille" in text_of(page)
    assert "03 53 48 00 01" in text_of(page)
    assert TenantAccount.objects.get(number=NUMBER).phone_unknown_reported_at is not None


def test_a_posted_letter_code_replaces_the_sms_code_once(client, demo, django_user_model):
    staff = UserFactory(email="agent@hdf.example", staff=True)
    code = create_activation_letter(Signatory.objects.get(last_name="LEROY"), staff)
    start(client)
    client.get("/inscription/telephone-inconnu/", HTTP_HOST=HOST)

    assert give_code(client, code.lower())["Location"] == "/inscription/identifiants/"

    other = type(client)()
    start(other)
    assert "a déjà servi" in text_of(give_code(other, code))


def mobile_field(page) -> str:
    """The value the mobile field of the last step shows."""
    return re.search(r'<input[^>]*name="mobile_phone"[^>]*>', page.content.decode())[0]


def test_the_last_step_offers_back_the_mobile_checked_by_sms_and_it_can_be_changed(
    client, demo, settings
):
    start(client)
    give_phone(client, "0612345661")
    give_code(client, sms_code(settings))

    page = client.get("/inscription/identifiants/", HTTP_HOST=HOST)

    assert 'value="06 12 34 56 61"' in mobile_field(page)
    response = give_credentials(client, mobile_phone="07 51 22 33 44")
    assert response.status_code == 302
    assert User.objects.get().mobile_phone == "+33751223344"


def test_a_tenant_who_did_not_know_the_number_is_not_offered_it(client, demo):
    staff = UserFactory(email="agent@hdf.example", staff=True)
    code = create_activation_letter(Signatory.objects.get(last_name="LEROY"), staff)
    start(client)
    client.get("/inscription/telephone-inconnu/", HTTP_HOST=HOST)
    give_code(client, code)

    page = client.get("/inscription/identifiants/", HTTP_HOST=HOST)

    assert "value=" not in mobile_field(page)
