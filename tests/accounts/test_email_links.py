"""Links in the emails to tenants open on the landlord's tenants' host, within the scope
"/" of the application installed from it, whichever host asked for the email."""

import re

import pytest
from django.core import mail
from django.test import Client

from landlords.models import Landlord
from tests.accounts.test_sign_in_lockout import LOCKED_SUBJECT, attack
from tests.factories import LandlordHostFactory

pytestmark = pytest.mark.django_db


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_a_tenant_locked_out_by_attempts_on_the_espace_agence_gets_a_tenants_reset_link(tenant):
    tenant("aubervilliers", email="jean@exemple.com")

    attack(host="agence.aubervilliers.localhost")

    [message] = [m for m in mail.outbox if m.subject == LOCKED_SUBJECT]
    assert links(message) == ["http://aubervilliers.localhost/compte/password/reset/"]


def test_an_unknown_address_on_the_espace_agence_is_pointed_to_the_tenants_sign_up(demo):
    Client(HTTP_HOST="agence.hmp.localhost").post(
        "/compte/password/reset/", {"email": "personne@exemple.com"}
    )

    [message] = mail.outbox
    assert "http://hmp.localhost/inscription/" in links(message)
    assert not [link for link in links(message) if "agence." in link]


def test_a_link_asked_on_another_tenants_host_of_the_landlord_stays_on_it(tenant):
    # The application installed from that host opens it (its own scope "/").
    landlord = Landlord.objects.get(slug="hmp")
    LandlordHostFactory(landlord=landlord, hostname="locataires.hmp.localhost")
    tenant("hmp", email="jean@exemple.com")

    Client(HTTP_HOST="locataires.hmp.localhost").post(
        "/compte/password/reset/", {"email": "jean@exemple.com"}
    )

    [message] = mail.outbox
    assert links(message)[0].startswith(
        "http://locataires.hmp.localhost/compte/password/reset/key/"
    )


def test_a_link_sent_from_the_espace_agence_names_the_public_port(demo, settings):
    settings.PUBLIC_PORT = 8000
    landlord = Landlord.objects.get(slug="hdf")
    agence = Client(HTTP_HOST="agence.hdf.localhost").get("/").wsgi_request
    tenants = Client(HTTP_HOST="hdf.localhost:8443").get("/").wsgi_request

    assert landlord.tenants_url(agence, "/mon-compte/") == "http://hdf.localhost:8000/mon-compte/"
    assert landlord.tenants_url(None, "/mon-compte/") == "http://hdf.localhost:8000/mon-compte/"
    assert landlord.tenants_url(tenants, "/mon-compte/") == "http://hdf.localhost:8443/mon-compte/"
