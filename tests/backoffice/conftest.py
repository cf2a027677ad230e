import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.test import Client

from accounts.models import User
from core.allauth_bridge import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from staff.roles import Role
from tests.factories import EmailAddressFactory, StaffMemberFactory

BACKOFFICE = "config.urls_backoffice"
PASSWORD = "Agence-Secrète-2026"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now, by allauth's own functions.

    Never one about to expire: allauth accepts the current window only, and a code read in
    a window's last seconds could be checked in the next one (a failure once in a while).
    """
    period = mfa_settings.TOTP_PERIOD
    left_in_window = period - time.time() % period
    if left_in_window < 3:
        time.sleep(left_in_window + 0.1)
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def create_staff(slug, role=Role.ADMINISTRATOR, *, agencies=(), email=None, mfa=True):
    """A member of the landlord's team with TOTP set up (mfa=False: without); the secret
    is `user.totp_secret`."""
    from landlords.models import Landlord

    landlord = Landlord.objects.get(slug=slug)
    user = User.objects.create_user(
        email or f"{role}.{slug}@exemple.fr", PASSWORD, first_name="Camille", last_name="AGENT"
    )
    EmailAddressFactory(user=user)
    member = StaffMemberFactory(user=user, landlord=landlord, role=role)
    member.agencies.set(landlord.agencies.filter(code__in=agencies))
    if mfa:
        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def make_staff(demo):
    """make_staff("hdf", Role.AGENT, agencies=["LILLE"]), demo landlords loaded."""
    return create_staff


@pytest.fixture
def agence():
    """agence("hdf", user): a client on the landlord's espace agence, signed in as user."""

    def make(slug, user=None):
        client = Client(HTTP_HOST=f"agence.{slug}.localhost")
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def hdf_agent(make_staff):
    return make_staff("hdf", Role.AGENT, agencies=["LILLE"])
