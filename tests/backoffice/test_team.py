"""Staff accounts are invited by the landlord's administrator, by a single-use link."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from audit.models import AuditEvent
from staff.models import StaffMember
from staff.roles import Role
from tests.backoffice.conftest import BACKOFFICE

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une phrase pour l'agence 59"


def url(name, *args):
    return reverse(f"backoffice:{name}", args=args, urlconf=BACKOFFICE)


@pytest.fixture
def admin_client(make_staff, agence):
    return agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))


def invite(admin_client, **data):
    from landlords.models import Agency

    lille = Agency.objects.get(code="LILLE")
    fields = {
        "email": "nouvel.agent@hdf.exemple.fr",
        "first_name": "Léa",
        "last_name": "MARTIN",
        "role": Role.AGENT,
        "agencies": [lille.pk],
    }
    return admin_client.post(url("team"), {**fields, **data}, follow=True)


def invitation_link():
    return re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body)[0]


def test_an_invited_agent_chooses_a_password_then_must_set_up_two_step(admin_client):
    response = invite(admin_client)

    assert "L&#x27;invitation est envoyée à nouvel.agent@hdf.exemple.fr." in response.text
    link = invitation_link()
    assert link.startswith("http://agence.hdf.localhost/invitation/")
    assert AuditEvent.objects.filter(action="staff.invited").exists()
    newcomer = Client(HTTP_HOST="agence.hdf.localhost")
    path = link.split("localhost", 1)[1]
    assert "<h1>Rejoindre l'espace agence</h1>" in newcomer.get(path).text

    response = newcomer.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response["Location"] == reverse("account_login", urlconf=BACKOFFICE)
    member = StaffMember.objects.get(user__email="nouvel.agent@hdf.exemple.fr")
    assert member.role == Role.AGENT
    assert [agency.code for agency in member.agencies.all()] == ["LILLE"]
    # The link is spent.
    assert newcomer.get(path).status_code == 404
    # Signed in, nothing but the two-step setup.
    newcomer.post("/compte/login/", {"login": member.user.email, "password": NEW_PASSWORD})
    assert newcomer.get("/")["Location"] == reverse("mfa_activate_totp", urlconf=BACKOFFICE)


def test_the_link_opens_only_on_the_landlords_own_agence_host(admin_client):
    invite(admin_client)
    path = invitation_link().split("localhost", 1)[1]

    assert Client(HTTP_HOST="agence.hmp.localhost").get(path).status_code == 404
    assert Client(HTTP_HOST="hdf.localhost").get(path).status_code == 404


def test_the_link_expires(admin_client):
    invite(admin_client)
    path = invitation_link().split("localhost", 1)[1]
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=49)

    with freeze_time(later):
        response = Client(HTTP_HOST="agence.hdf.localhost").get(path)

    assert response.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"agencies": []}, "Choisissez au moins une agence pour un agent d"),
        ({"email": "pas-un-email"}, "Saisissez une adresse email valide"),
        ({"email": "agent.hdf@exemple.fr"}, "Cette adresse a déjà un compte"),
    ],
)
def test_a_bad_invitation_is_refused(admin_client, make_staff, data, message):
    make_staff("hdf", Role.AGENT, email="agent.hdf@exemple.fr", agencies=["LILLE"])

    response = invite(admin_client, **data)

    assert message in response.text
    assert len(mail.outbox) == 0


def test_a_short_password_is_refused(admin_client):
    invite(admin_client)
    path = invitation_link().split("localhost", 1)[1]

    response = Client(HTTP_HOST="agence.hdf.localhost").post(
        path, {"password1": "court", "password2": "court"}
    )

    assert "au moins 12 caractères" in response.text
    assert not StaffMember.objects.filter(user__email="nouvel.agent@hdf.exemple.fr").exists()


def test_only_the_administrator_invites(make_staff, agence):
    client = agence("hdf", make_staff("hdf", Role.CUSTOMER_RELATIONS))

    assert client.get(url("team")).status_code == 403
    assert client.post(url("team"), {"email": "x@exemple.fr"}).status_code == 403


def test_a_deactivated_member_can_no_longer_enter(admin_client, make_staff, agence):
    agent = make_staff("hdf", Role.AGENT, agencies=["LILLE"])
    member = StaffMember.objects.get(user=agent)

    admin_client.post(url("deactivate_member", member.pk))

    response = agence("hdf", agent).get("/", follow=True)
    assert "Connexion à l" in response.text
    assert AuditEvent.objects.filter(action="staff.deactivated", subject_user=agent).exists()
