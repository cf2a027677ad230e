"""Tenant and staff security events land in the one journal, without any secret."""

import pytest
from django.test import Client

import audit
from audit.models import AuditEvent
from tests.accounts.test_profile import NEW_PASSWORD, change_password, signed_in

pytestmark = pytest.mark.django_db

PASSWORD = "Loyer-Payé-2026"


def sign_in(host, login, password):
    client = Client(HTTP_HOST=host)
    client.post("/compte/login/", {"login": login, "password": password})
    return client


def test_a_tenant_sign_in_and_its_failure_are_journaled_for_the_landlord(tenant):
    user = tenant("aubervilliers", email="jean@exemple.com")

    sign_in("aubervilliers.localhost", "jean@exemple.com", "pas le bon mot de passe")
    sign_in("aubervilliers.localhost", "jean@exemple.com", PASSWORD)

    failure = AuditEvent.objects.get(action="security.login_failed")
    assert (failure.landlord.slug, failure.subject_user, failure.actor) == (
        "aubervilliers",
        user,
        None,
    )
    assert failure.actor_kind == "tenant"
    assert failure.ip == "127.0.0.1"
    login = AuditEvent.objects.get(action="security.login")
    assert (login.actor, login.actor_kind, login.landlord.slug) == (user, "tenant", "aubervilliers")
    rows = list(AuditEvent.objects.values_list("detail", "reason"))
    assert not any("pas le bon" in str(row) or PASSWORD in str(row) for row in rows)


def test_a_tenant_password_change_is_journaled(tenant):
    user = tenant("aubervilliers", email="jean@exemple.com")

    change_password(signed_in(user))

    event = AuditEvent.objects.get(action="security.password_changed")
    assert (event.actor, event.landlord.slug) == (user, "aubervilliers")
    assert NEW_PASSWORD not in str(event.detail)


def test_the_journal_refuses_a_secret_in_its_detail(demo):
    for key in ["password", "code", "sms_code", "token", "api_key", "totp_secret"]:
        with pytest.raises(ValueError, match="looks like a secret"):
            audit.record("journal.exported", detail={key: "x"})
    assert not AuditEvent.objects.exists()


def test_the_journal_refuses_an_action_it_cannot_name_in_french(demo):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record("tenant.something_new")


def test_the_journal_keeps_the_address_the_trusted_proxy_saw(tenant, settings):
    """Behind our own proxy, the journal names the tenant's address, not the proxy's (the
    same rule as throttling, core.client)."""
    settings.TRUSTED_PROXY_COUNT = 1
    tenant("aubervilliers", email="jean@exemple.com")
    client = Client(
        HTTP_HOST="aubervilliers.localhost",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    client.post("/compte/login/", {"login": "jean@exemple.com", "password": "pas le bon"})

    assert AuditEvent.objects.get(action="security.login_failed").ip == "203.0.113.7"
