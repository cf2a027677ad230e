"""Passkeys (WebAuthn) are offered to staff next to the authenticator app."""

import pytest
from django.test import Client
from django.urls import reverse

from staff.roles import Role
from tests.backoffice.conftest import BACKOFFICE, PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def test_a_staff_member_can_add_a_passkey_in_the_back_offices_layout(make_staff):
    user = make_staff("hdf", Role.ADMINISTRATOR)
    client = Client(HTTP_HOST="agence.hdf.localhost")
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    client.post(
        reverse("mfa_authenticate", urlconf=BACKOFFICE), {"code": totp_code(user.totp_secret)}
    )

    # allauth asks to confirm who is there before adding a key.
    response = client.get(reverse("mfa_add_webauthn", urlconf=BACKOFFICE), follow=True)
    assert "reauthenticate" in response.redirect_chain[-1][0]
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)

    assert response.status_code == 200
    assert "Espace agence" in response.text
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm"' in response.text
    assert "<script>" not in response.text  # no inline script: only JSON data and files
