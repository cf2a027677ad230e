import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.models import Access, NewsConsent, TermsAcceptance, User
from tenancies.models import Signatory
from tests.accounts.conftest import activation_link, last_email_to, solved_captcha, text_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISMATCH = "Ces informations ne correspondent à aucun signataire d'un contrat de location en cours."
PASSWORD = "Loyer-de-novembre-2026"


def identity(client, host, **overrides):
    data = {
        "account_number": "123456",
        "last_name": "DUPOND",
        "first_name": "Jean",
        "birth_date": "10/09/1975",
        **overrides,
    }
    return client.post("/inscription/", data, HTTP_HOST=host)


def credentials(client, host, **overrides):
    data = {
        "email": "jean.dupond@exemple.com",
        "email2": "jean.dupond@exemple.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "terms": "on",
        **overrides,
    }
    return client.post("/inscription/identifiants/", data, HTTP_HOST=host)


def test_aubervilliers_sign_up_in_two_steps_then_activation_signs_in(client, demo):
    page = client.get("/inscription/", HTTP_HOST="aubervilliers.localhost")
    assert "Inscription étape 1 / 2" in text_of(page)
    assert "Numéro d&#x27;intitulé" in text_of(page) or "Numéro d'intitulé" in text_of(page)

    response = identity(client, "aubervilliers.localhost")
    assert response["Location"] == "/inscription/identifiants/"
    page = client.get("/inscription/identifiants/", HTTP_HOST="aubervilliers.localhost")
    assert "Inscription étape 2 / 2" in text_of(page)
    assert "trois types de caractères" in text_of(page)

    response = credentials(client, "aubervilliers.localhost", news="on")
    assert response.status_code == 302
    done = client.get(response["Location"], HTTP_HOST="aubervilliers.localhost")
    assert "Inscription terminée" in text_of(done)
    assert "un mail de confirmation vient de vous être envoyé" in text_of(done)

    user = User.objects.get(email="jean.dupond@exemple.com")
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    assert Access.objects.get(user=user).signatory.lease.account.number == "123456"
    assert TermsAcceptance.objects.get(user=user).version == "2026-01"
    assert NewsConsent.objects.get(user=user).granted is True

    email = last_email_to("jean.dupond@exemple.com")
    assert "OPH d'Aubervilliers" in email.subject
    assert "OPH d'Aubervilliers" in email.from_email
    html = email.alternatives[0][0]
    assert "Activer mon accès" in html
    link = activation_link(email)
    assert link.startswith("http://aubervilliers.localhost/")

    confirm_page = client.get(link, HTTP_HOST="aubervilliers.localhost")
    assert "Activer mon accès" in text_of(confirm_page)
    confirmed = client.post(link, HTTP_HOST="aubervilliers.localhost")
    assert EmailAddress.objects.get(user=user).verified
    dashboard = client.get(confirmed["Location"], HTTP_HOST="aubervilliers.localhost")
    assert dashboard.status_code == 200
    assert "Vous devez 610,68" in text_of(dashboard)


def test_hmp_asks_for_the_terms_on_a_third_step(client, demo):
    identity(client, "hmp.localhost", account_number="000123")

    response = credentials(client, "hmp.localhost", terms="")
    assert response["Location"] == "/inscription/cgu/"
    assert not User.objects.exists()
    page = client.get("/inscription/cgu/", HTTP_HOST="hmp.localhost")
    assert "Inscription étape 3 / 3" in text_of(page)
    refused = client.post("/inscription/cgu/", {}, HTTP_HOST="hmp.localhost")
    assert "vous devez accepter les conditions générales" in text_of(refused)
    assert not User.objects.exists()

    client.post("/inscription/cgu/", {"terms": "on"}, HTTP_HOST="hmp.localhost")

    user = User.objects.get()
    assert NewsConsent.objects.get(user=user).granted is False
    assert user.accesses.get().signatory.first_name == "Jean"


SIGNATORY_GONE = "nous ne retrouvons plus le signataire que vous avez indiqué"


def remove_jean_dupond():
    """What an ERP import does to a signatory no longer on the lease."""
    Signatory.objects.filter(last_name="DUPOND", first_name="Jean").delete()


def test_a_signatory_removed_by_an_import_before_the_credentials_starts_the_sign_up_again(
    client, demo
):
    identity(client, "aubervilliers.localhost")
    remove_jean_dupond()

    response = client.get("/inscription/identifiants/", HTTP_HOST="aubervilliers.localhost")

    assert response.status_code == 302
    assert response["Location"] == "/inscription/"
    first_step = client.get(response["Location"], HTTP_HOST="aubervilliers.localhost")
    assert "Inscription étape 1 / 2" in text_of(first_step)
    assert SIGNATORY_GONE in text_of(first_step)
    assert not User.objects.exists()


def test_a_signatory_removed_by_an_import_before_the_terms_starts_the_sign_up_again(client, demo):
    identity(client, "hmp.localhost", account_number="000123")
    credentials(client, "hmp.localhost", terms="")
    remove_jean_dupond()

    response = client.post("/inscription/cgu/", {"terms": "on"}, HTTP_HOST="hmp.localhost")

    assert response.status_code == 302
    assert response["Location"] == "/inscription/"
    assert SIGNATORY_GONE in text_of(client.get(response["Location"], HTTP_HOST="hmp.localhost"))
    assert not User.objects.exists()
    assert not mail.outbox


def test_names_match_whatever_case_and_accents(client, demo):
    response = client.post(
        "/inscription/",
        {
            "account_number": "0212345678901",
            "last_name": "colin",
            "first_name": "nadege",
            "birth_date": "14/03/1980",
            "captcha": solved_captcha(),
        },
        HTTP_HOST="auvergne.localhost",
    )

    assert response["Location"] == "/inscription/identifiants/"


@pytest.mark.parametrize(
    "overrides",
    [
        {"birth_date": "11/09/1975"},
        {"last_name": "DUPONT"},
        {"first_name": "Marie"},
        {"account_number": "654321"},
    ],
)
def test_every_mismatch_gets_the_same_reply_and_creates_nothing(client, demo, overrides):
    response = identity(client, "aubervilliers.localhost", **overrides)

    assert response.status_code == 200
    assert MISMATCH in text_of(response)
    assert "signup" not in client.session
    assert (
        client.get("/inscription/identifiants/", HTTP_HOST="aubervilliers.localhost")["Location"]
        == "/inscription/"
    )


def test_account_number_in_another_landlords_format_is_explained(client, demo):
    response = identity(client, "aubervilliers.localhost", account_number="0212345678901")

    assert "Ce numéro d'intitulé n'a pas le bon format (exemple : 123456)" in text_of(response)


def test_a_signatory_who_already_has_a_login_gets_the_same_reply_and_is_warned(client, demo):
    identity(client, "aubervilliers.localhost")
    credentials(client, "aubervilliers.localhost")
    mail.outbox.clear()
    client.logout()

    response = identity(client, "aubervilliers.localhost")

    assert MISMATCH in text_of(response)
    warning = last_email_to("jean.dupond@exemple.com")
    assert "tentative d'inscription avec votre identité" in warning.subject
    assert User.objects.count() == 1


def test_identity_step_slows_down_after_five_failures(client, demo):
    for _ in range(5):
        assert MISMATCH in text_of(identity(client, "aubervilliers.localhost", first_name="X"))

    response = identity(client, "aubervilliers.localhost")

    assert "Trop de tentatives" in text_of(response)
    assert "signup" not in client.session


def test_a_co_signatory_gets_their_own_login_to_the_same_account(client, demo):
    identity(client, "hmp.localhost", account_number="000123")
    credentials(client, "hmp.localhost", terms="")
    client.post("/inscription/cgu/", {"terms": "on"}, HTTP_HOST="hmp.localhost")
    other = client_class_of(client)()

    identity(
        other, "hmp.localhost", account_number="000123", first_name="Marie", birth_date="21/04/1977"
    )
    credentials(other, "hmp.localhost", email="marie@exemple.com", email2="marie@exemple.com")
    other.post("/inscription/cgu/", {"terms": "on"}, HTTP_HOST="hmp.localhost")

    jean, marie = User.objects.order_by("email").reverse()
    assert {jean.email, marie.email} == {"jean.dupond@exemple.com", "marie@exemple.com"}
    assert list(jean.accounts()) == list(marie.accounts())


def client_class_of(client):
    return type(client)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email2": "jean@exemple.com"}, "Les deux adresses email ne sont pas identiques."),
        ({"password2": "autre-chose-2026"}, "Les deux mots de passe ne sont pas identiques."),
        (
            {"password1": "password1234", "password2": "password1234"},
            "Ce mot de passe est trop courant.",
        ),
        (
            {"password1": "a" * 10_000, "password2": "a" * 10_000},
            "Le mot de passe doit faire au plus 128 caractères.",
        ),
        (
            {"email": "jean@exemple.com\nBcc: x@y.fr", "email2": "jean@exemple.com\nBcc: x@y.fr"},
            "Saisissez une adresse email valide",
        ),
        ({"password1": "court", "password2": "court"}, "au moins 8 caractères"),
        ({"terms": ""}, "vous devez accepter les conditions générales"),
    ],
)
def test_bad_credentials_are_explained_and_nothing_is_created(client, demo, overrides, message):
    identity(client, "aubervilliers.localhost")

    response = credentials(client, "aubervilliers.localhost", **overrides)

    assert response.status_code == 200
    assert message in text_of(response)
    assert not User.objects.exists()
    assert not mail.outbox


def test_an_email_that_already_has_a_login_gets_the_same_reply_and_its_owner_is_told(
    client, demo, django_user_model
):
    UserFactory(email="jean.dupond@exemple.com", password="un-autre-mot-de-passe")

    identity(client, "aubervilliers.localhost")
    response = credentials(client, "aubervilliers.localhost")

    done = client.get(response["Location"], HTTP_HOST="aubervilliers.localhost")
    assert "Inscription terminée" in text_of(done)
    assert User.objects.count() == 1
    assert not Access.objects.exists()
    assert "déjà un accès" in last_email_to("jean.dupond@exemple.com").subject


def test_signing_in_before_activation_asks_to_confirm_and_resends_the_link(client, demo):
    identity(client, "aubervilliers.localhost")
    credentials(client, "aubervilliers.localhost")
    client.logout()
    mail.outbox.clear()
    cache.clear()  # as if the 3 minutes between two links had passed

    response = client.post(
        "/compte/login/",
        {"login": "jean.dupond@exemple.com", "password": PASSWORD},
        HTTP_HOST="aubervilliers.localhost",
        follow=True,
    )

    assert "Confirmez votre adresse email" in text_of(response)
    assert activation_link(last_email_to("jean.dupond@exemple.com"))


def test_an_activation_link_works_once(client, demo):
    identity(client, "aubervilliers.localhost")
    credentials(client, "aubervilliers.localhost")
    link = activation_link(last_email_to("jean.dupond@exemple.com"))
    client.post(link, HTTP_HOST="aubervilliers.localhost")
    client.logout()

    again = client.get(link, HTTP_HOST="aubervilliers.localhost")

    assert "Ce lien d'activation n'est plus valable : il ne sert qu'une fois" in text_of(again)


def test_an_expired_activation_link_is_refused(client, demo, settings):
    identity(client, "aubervilliers.localhost")
    credentials(client, "aubervilliers.localhost")
    link = activation_link(last_email_to("jean.dupond@exemple.com"))
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0

    response = client.get(link, HTTP_HOST="aubervilliers.localhost")

    assert "Ce lien d'activation n'est plus valable" in text_of(response)
    assert not EmailAddress.objects.get().verified


def test_a_tenant_adds_another_landlords_account_by_signing_in_during_the_sign_up(client, demo):
    identity(client, "aubervilliers.localhost")
    credentials(client, "aubervilliers.localhost")
    link = activation_link(last_email_to("jean.dupond@exemple.com"))
    client.post(link, HTTP_HOST="aubervilliers.localhost")
    user = User.objects.get()
    EmailAddress.objects.filter(user=user).update(verified=True)
    at_hmp = Client()
    login = {"login": "jean.dupond@exemple.com", "password": PASSWORD}

    # Before proving an HMP identity, the Aubervilliers login does not open HMP's portal.
    refused = at_hmp.post("/compte/login/", login, HTTP_HOST="hmp.localhost")
    assert "_auth_user_id" not in at_hmp.session
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in text_of(refused)

    identity(at_hmp, "hmp.localhost", account_number="000123")
    page = text_of(at_hmp.get("/inscription/identifiants/", HTTP_HOST="hmp.localhost"))
    assert "Connectez-vous avec cet accès" in page
    signed_in = at_hmp.post(
        "/compte/login/?next=/inscription/identifiants/", login, HTTP_HOST="hmp.localhost"
    )
    assert signed_in["Location"] == "/inscription/identifiants/"
    page = at_hmp.get("/inscription/identifiants/", HTTP_HOST="hmp.localhost")
    assert "Ajouter ce compte à mon accès" in text_of(page)
    response = at_hmp.post("/inscription/identifiants/", HTTP_HOST="hmp.localhost")

    assert response["Location"] == "/mon-compte/"
    assert User.objects.count() == 1
    assert {a.landlord.slug for a in user.accounts()} == {"aubervilliers", "hmp"}
    assert "000123" in text_of(at_hmp.get("/mon-compte/", HTTP_HOST="hmp.localhost"))
