"""Who gets into the espace agence, on which host, and how."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from staff.roles import Role
from tests.backoffice.conftest import BACKOFFICE, PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def test_back_office_urls_are_not_served_on_the_tenants_host(demo):
    tenants = Client(HTTP_HOST="hdf.localhost")

    assert tenants.get("/compte/login/").status_code == 200
    assert tenants.get("/accueil/").status_code == 404
    assert tenants.get("/locataires/").status_code == 404
    assert tenants.get("/journal/").status_code == 404


def test_tenant_pages_are_not_served_on_the_agence_host(demo):
    agence = Client(HTTP_HOST="agence.hdf.localhost")

    assert agence.get("/inscription/").status_code == 404
    assert agence.get("/mon-compte/").status_code == 404
    assert agence.get("/cgu/").status_code == 404


def test_an_unknown_agence_host_names_no_landlord(demo):
    response = Client(HTTP_HOST="agence.inconnu.localhost").get("/")

    assert response.status_code == 404
    assert "Habitat" not in response.text


def test_the_sign_in_page_is_the_back_offices_own(demo):
    response = Client(HTTP_HOST="agence.hdf.localhost").get("/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/compte/login/")
    assert "<h1>Connexion à l'espace agence</h1>" in response.text
    # Staff sign in with their email, even where tenants use their tenant code.
    assert "Votre adresse email." in response.text
    assert "Créez un compte" not in response.text


def test_staff_sign_in_with_password_then_authenticator_code(make_staff):
    user = make_staff("hdf", Role.ADMINISTRATOR)
    client = Client(HTTP_HOST="agence.hdf.localhost")

    response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate", urlconf=BACKOFFICE)
    assert client.get("/").status_code == 302  # not signed in before the code

    response = client.post(response["Location"], {"code": totp_code(user.totp_secret)}, follow=True)

    assert response.status_code == 200
    assert "<h1>Tableau de bord</h1>" in response.text
    event = AuditEvent.objects.get(action="security.login")
    assert (event.landlord.slug, event.actor, event.actor_kind) == ("hdf", user, "staff")
    # A short session: 15 minutes without activity.
    assert client.session.get_expiry_age() <= 15 * 60


def test_a_wrong_authenticator_code_is_journaled_without_the_code(make_staff):
    user = make_staff("hdf", Role.ADMINISTRATOR)
    client = Client(HTTP_HOST="agence.hdf.localhost")
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate", urlconf=BACKOFFICE), {"code": "000000"})

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="security.mfa_failed")
    assert event.subject_user == user
    assert "000000" not in str(event.detail)


def test_staff_without_two_step_verification_are_sent_to_set_it_up(make_staff):
    user = make_staff("hdf", Role.ADMINISTRATOR, mfa=False)
    client = Client(HTTP_HOST="agence.hdf.localhost")
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})

    for path in ["/", "/accueil/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp", urlconf=BACKOFFICE)
    # allauth asks for the password again before adding an authenticator.
    reauthenticate = client.get(reverse("mfa_activate_totp", urlconf=BACKOFFICE), follow=True)
    assert "Espace agence" in reauthenticate.text
    setup = client.post(reauthenticate.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert setup.status_code == 200
    assert "<h1>Activer la vérification en deux étapes</h1>" in setup.text
    assert "Espace agence" in setup.text


def test_staff_of_another_landlord_are_signed_out(make_staff, agence):
    hmp_admin = make_staff("hmp", Role.ADMINISTRATOR)
    client = agence("hdf", hmp_admin)

    response = client.get("/", follow=True)

    assert "est réservé à l&#x27;équipe d&#x27;Habitat Hauts-de-France." in response.text
    assert "_auth_user_id" not in client.session


def test_a_tenant_login_does_not_open_the_agence(tenant, agence):
    user = tenant("hdf")
    client = agence("hdf", user)

    response = client.get("/", follow=True)

    assert "<h1>Connexion à l'espace agence</h1>" in response.text
    assert "_auth_user_id" not in client.session


def test_platform_admin_first_sign_in_reaches_two_step_setup(demo, django_user_model):
    """The demo's operator signs in at /admin/ (an unverified email once ended on a 500)."""
    django_user_model.objects.create_superuser("admin@localhost", "mot-de-passe-admin")
    client = Client(HTTP_HOST="localhost")

    response = client.post(
        "/compte/login/?next=/admin/",
        {"login": "admin@localhost", "password": "mot-de-passe-admin"},
        follow=True,
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/compte/login/", "Connexion à l'espace agence"),
        ("/compte/signup/", "Inscription fermée"),
        ("/compte/password/reset/", "Mot de passe oublié"),
        ("/compte/confirm-email/", "Confirmez votre adresse email"),
        ("/accessibilite/", None),
        ("/page-inexistante/", "Page introuvable"),
    ],
)
def test_allauths_pages_render_in_the_back_offices_layout(demo, path, title):
    response = Client(HTTP_HOST="agence.hdf.localhost").get(path)

    assert response.status_code in (200, 404)
    assert '<span class="brand-tagline">Espace agence</span>' in response.text
    if title:
        assert f"<h1>{title}</h1>" in response.text
    assert 'href="/inscription/' not in response.text  # no tenant link


def test_a_password_reset_link_for_staff_opens_the_agence(make_staff):
    from django.core import mail

    user = make_staff("hmp", Role.AGENT, agencies=["NORD"])

    Client(HTTP_HOST="agence.hmp.localhost").post("/compte/password/reset/", {"email": user.email})

    assert "http://agence.hmp.localhost/compte/password/reset/key/" in mail.outbox[0].body


def test_back_office_pages_are_never_cached(make_staff, agence):
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))

    for path in ["/", "/journal/export.csv"]:
        assert "no-store" in client.get(path)["Cache-Control"]
