"""Activation by email, or not, as the landlord's guide says (accounts/activation.py).

Habitat Hauts-de-France (`email_activation` off): the SMS code proved the mobile on file,
the access works at the end of the sign-up and the email is confirmed later. The other
three: the access works once the emailed link is opened.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent
from tests.accounts.conftest import (
    activation_link,
    last_email_to,
    sms_code,
    solved_captcha,
    text_of,
)
from tests.accounts.test_password_reset import ask_link
from tests.accounts.test_signup_by_phone import HOST, NUMBER, give_code, give_phone, start
from tests.accounts.test_signup_by_signatory_details import PASSWORD, credentials, identity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "sophie@exemple.com"
HDF_PASSWORD = "Lille2026"
BANNER = "Confirmez votre adresse email"


def hdf_sign_up(client, settings):
    start(client)
    give_phone(client)
    give_code(client, sms_code(settings))
    return client.post(
        "/inscription/identifiants/",
        {
            "email": EMAIL,
            "email2": EMAIL,
            "password1": HDF_PASSWORD,
            "password2": HDF_PASSWORD,
            "mobile_phone": "06 12 34 56 61",
            "terms": "on",
            "captcha": solved_captcha(),
        },
        HTTP_HOST=HOST,
    )


def get(client, path, host=HOST):
    return client.get(path, HTTP_HOST=host)


def test_hdf_sign_up_ends_signed_in_on_a_page_saying_the_account_is_operational(
    client, demo, settings
):
    response = hdf_sign_up(client, settings)

    assert response["Location"] == "/inscription/terminee/"
    page = text_of(get(client, response["Location"]))
    assert "<h1>Maintenant votre compte client est opérationnel</h1>" in page
    assert "s•••••@exemple.com" in page
    assert "il reste possible par SMS" in page
    dashboard = get(client, "/mon-compte/")
    assert dashboard.status_code == 200
    assert BANNER in text_of(dashboard)
    assert "Renvoyer le lien" in text_of(dashboard)
    # The email only confirms the address; it arrives all the same.
    assert activation_link(last_email_to(EMAIL)).startswith("http://hdf.localhost/")
    assert not EmailAddress.objects.get(email=EMAIL).verified


def test_an_email_already_used_signs_nobody_in_and_its_owner_is_told(client, demo, settings):
    UserFactory(email=EMAIL, password="un-autre-mot-de-passe")

    response = hdf_sign_up(client, settings)

    assert "Inscription terminée" in text_of(get(client, response["Location"]))
    assert get(client, "/mon-compte/").status_code == 302
    assert "déjà un accès" in last_email_to(EMAIL).subject


def test_hdf_tenant_signs_in_before_confirming_the_email(client, demo, settings):
    hdf_sign_up(client, settings)
    client.logout()

    response = client.post(
        "/compte/login/", {"login": NUMBER, "password": HDF_PASSWORD}, HTTP_HOST=HOST
    )

    assert response["Location"] == "/mon-compte/"
    assert BANNER in text_of(get(client, "/mon-compte/"))


def test_the_banner_resends_the_link_at_most_every_three_minutes(client, demo, settings):
    hdf_sign_up(client, settings)
    mail.outbox.clear()
    cache.clear()  # as if the 3 minutes after the sign-up's link had passed

    response = client.post(
        "/activation/renvoyer/", {"next": "/mon-compte/documents/"}, HTTP_HOST=HOST
    )

    assert response["Location"] == "/mon-compte/documents/"
    assert activation_link(last_email_to(EMAIL)).startswith("http://hdf.localhost/")
    event = AuditEvent.objects.get(action="security.activation_link_resent")
    assert event.subject_user.email == EMAIL
    assert event.landlord.slug == "hdf"
    assert "Un nouveau lien vient de vous être envoyé" in text_of(get(client, "/mon-compte/"))

    mail.outbox.clear()
    again = client.post(
        "/activation/renvoyer/", {"next": "https://ailleurs.example/"}, HTTP_HOST=HOST
    )

    assert again["Location"] == "/mon-compte/"
    assert not mail.outbox
    assert "il y a moins de 3 minutes" in text_of(get(client, "/mon-compte/"))


def test_confirming_the_email_later_ends_the_banner(client, demo, settings):
    hdf_sign_up(client, settings)
    link = activation_link(last_email_to(EMAIL))

    page = text_of(get(client, link))
    assert "<h1>Confirmation de votre adresse email</h1>" in page
    assert "Activation de votre accès" not in page
    client.post(link, HTTP_HOST=HOST)

    assert EmailAddress.objects.get(email=EMAIL).verified
    assert BANNER not in text_of(get(client, "/mon-compte/"))


def test_reset_by_email_waits_for_the_confirmation_reset_by_sms_does_not(client, demo, settings):
    hdf_sign_up(client, settings)
    client.logout()
    mail.outbox.clear()

    ask_link(Client(), HOST, EMAIL, captcha=solved_captcha())

    told = last_email_to(EMAIL)
    assert "confirmez d'abord votre adresse email" in told.subject
    assert "aucun lien de mot de passe ne lui est envoyé avant" in told.body
    assert "http://hdf.localhost/mot-de-passe-oublie/" in told.body
    assert "/compte/password/reset/key/" not in told.body

    sms = Client()
    sms.post(
        "/mot-de-passe-oublie/",
        {"account_number": NUMBER, "captcha": solved_captcha()},
        HTTP_HOST=HOST,
    )
    sms.post("/mot-de-passe-oublie/telephone/", {"phone": "0612345661"}, HTTP_HOST=HOST)
    sms.post("/mot-de-passe-oublie/code/", {"code": sms_code(settings)}, HTTP_HOST=HOST)
    done = sms.post(
        "/mot-de-passe-oublie/nouveau/",
        {"password1": "Lille2027", "password2": "Lille2027"},
        HTTP_HOST=HOST,
    )
    assert done["Location"] == "/compte/password/reset/key/done/"
    assert User.objects.get(email=EMAIL).check_password("Lille2027")


def test_once_confirmed_the_reset_link_is_sent_by_email(client, demo, settings):
    hdf_sign_up(client, settings)
    client.post(activation_link(last_email_to(EMAIL)), HTTP_HOST=HOST)
    client.logout()
    mail.outbox.clear()
    cache.clear()

    ask_link(Client(), HOST, EMAIL, captcha=solved_captcha())

    assert "/compte/password/reset/key/" in last_email_to(EMAIL).body


# Email activation on (OPH d'Aubervilliers): the access works once the link is opened.

AUBERVILLIERS = "aubervilliers.localhost"
JEAN = "jean.dupond@exemple.com"


def test_signing_in_before_activating_shows_where_the_link_went_not_the_sign_up_page(client, demo):
    identity(client, AUBERVILLIERS)
    credentials(client, AUBERVILLIERS)
    assert "Inscription terminée" in text_of(get(client, "/compte/confirm-email/", AUBERVILLIERS))

    # Same browser, later: the sign-up's page is not shown again.
    response = client.post(
        "/compte/login/", {"login": JEAN, "password": PASSWORD}, HTTP_HOST=AUBERVILLIERS
    )
    page = text_of(get(client, response["Location"], AUBERVILLIERS))

    assert "<h1>Confirmez votre adresse email</h1>" in page
    assert "Inscription terminée" not in page
    assert "j••••••••••@exemple.com" in page
    assert "Renvoyer le lien" in page
    assert get(client, "/mon-compte/", AUBERVILLIERS).status_code == 302


def test_renvoyer_le_lien_sends_a_link_for_this_landlord_and_is_journaled(client, demo):
    identity(client, AUBERVILLIERS)
    credentials(client, AUBERVILLIERS)
    client.post("/compte/login/", {"login": JEAN, "password": PASSWORD}, HTTP_HOST=AUBERVILLIERS)
    mail.outbox.clear()
    cache.clear()  # as if the 3 minutes after the sign-in's link had passed

    response = client.post("/activation/renvoyer/", HTTP_HOST=AUBERVILLIERS)

    assert response["Location"] == "/compte/confirm-email/"
    link = activation_link(last_email_to(JEAN))
    assert link.startswith("http://aubervilliers.localhost/")
    assert "Un nouveau lien vient de vous être envoyé" in text_of(
        get(client, "/compte/confirm-email/", AUBERVILLIERS)
    )
    event = AuditEvent.objects.get(action="security.activation_link_resent")
    assert (event.landlord.slug, event.subject_user.email) == ("aubervilliers", JEAN)

    mail.outbox.clear()
    client.post("/activation/renvoyer/", HTTP_HOST=AUBERVILLIERS)
    assert not mail.outbox
    assert AuditEvent.objects.filter(action="security.activation_link_resent").count() == 1

    # The link activates the access, titled as an activation.
    assert "<h1>Activation de votre accès</h1>" in text_of(get(client, link, AUBERVILLIERS))


def test_renvoyer_le_lien_needs_a_sign_in_first(client, demo):
    response = client.post("/activation/renvoyer/", HTTP_HOST=AUBERVILLIERS)

    assert response["Location"] == "/compte/login/"
    assert not mail.outbox


def test_the_access_of_a_landlord_with_activation_works_only_once_activated(client, demo):
    identity(client, AUBERVILLIERS)
    credentials(client, AUBERVILLIERS)
    client.logout()

    response = client.post(
        "/compte/login/", {"login": JEAN, "password": PASSWORD}, HTTP_HOST=AUBERVILLIERS
    )

    assert response["Location"] == "/compte/confirm-email/"
    assert get(client, "/mon-compte/", AUBERVILLIERS).status_code == 302
