import datetime
import re

import pytest
from django.core.management import call_command

from billing.models import LedgerEntry
from billing.statement import account_balance_cents
from demo.loading import load_demo_landlords
from landlords.models import Landlord
from tenancies.models import Signatory, TenantAccount

pytestmark = pytest.mark.django_db

DEMO_IDENTITIES = [
    ("hmp", "000123", "DUPOND", "Jean", datetime.date(1975, 9, 10), "+33611223344"),
    ("hdf", "590000000012345", "LEROY", "Sophie", datetime.date(1982, 2, 2), "+33612345661"),
    ("auvergne", "0212345678901", "COLIN", "Nadège", datetime.date(1980, 3, 14), "+33698765432"),
    ("aubervilliers", "123456", "DUPOND", "Jean", datetime.date(1975, 9, 10), "+33655443322"),
]


def test_demo_has_the_four_seed_landlords_with_their_rules():
    load_demo_landlords()

    rules = {
        landlord.slug: (
            landlord.identity_proof,
            landlord.captcha_enabled,
            landlord.login_identifier,
            landlord.password_min_length,
        )
        for landlord in Landlord.objects.all()
    }
    assert rules == {
        "hmp": ("signatory_details", False, "email", 12),
        "hdf": ("phone_sms", True, "account_number", 8),
        "auvergne": ("signatory_details", True, "email", 8),
        "aubervilliers": ("signatory_details", False, "email", 8),
    }
    auvergne = Landlord.objects.get(slug="auvergne")
    assert auvergne.account_number_is_valid("0212345678901")
    assert auvergne.agencies.exists()
    assert auvergne.logo


@pytest.mark.parametrize(("slug", "number", "last", "first", "born", "mobile"), DEMO_IDENTITIES)
def test_demo_identities_are_signatories_of_a_current_lease(
    slug, number, last, first, born, mobile
):
    load_demo_landlords()

    account = TenantAccount.objects.get(landlord__slug=slug, number=number)
    signatory = Signatory.objects.get(
        lease__in=account.current_leases(), last_name=last, first_name=first
    )
    assert (signatory.birth_date, signatory.mobile_phone) == (born, mobile)
    months = set(account.ledger_entries.values_list("period", flat=True))
    assert len(months) == 6


def test_aubervilliers_account_follows_the_rent_notice_of_its_guide():
    load_demo_landlords()

    account = TenantAccount.objects.get(landlord__slug="aubervilliers", number="123456")
    assert account_balance_cents(account) == 61068
    last_month = account.ledger_entries.filter(kind=LedgerEntry.Kind.CHARGE).latest("period").period
    assert list(
        account.ledger_entries.filter(period=last_month, kind=LedgerEntry.Kind.CHARGE)
        .order_by("reference")
        .values_list("label", "amount_cents")
    ) == [
        ("Loyer", 17503),
        ("Provision Charges Générales LG", 776),
        ("Provision Charges Générales SH", 1472),
        ("Provision Chauffage", 1955),
        ("Prov. Divers Appareils Chauffage", 294),
    ]


def test_one_demo_account_has_two_signatories():
    load_demo_landlords()

    lease = TenantAccount.objects.get(landlord__slug="hmp", number="000123").leases.get()
    assert lease.signatories.count() == 2


def test_loading_the_demo_again_keeps_what_is_there(settings, capsys, tmp_path):
    settings.DEMO = True
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    hmp = Landlord.objects.get(slug="hmp")
    hmp.tagline = "Changé dans l'administration"
    hmp.save()
    entries = LedgerEntry.objects.count()

    call_command("load_demo", port="8001")

    hmp.refresh_from_db()
    assert hmp.tagline == "Changé dans l'administration"
    assert LedgerEntry.objects.count() == entries
    out = capsys.readouterr().out
    assert "http://hmp.localhost:8001/" in out
    assert "0212345678901    COLIN Nadège   14/03/1980  06 98 76 54 32" in out
    assert "DUPOND Marie   21/04/1977" in out


def test_the_demo_prints_each_landlords_agence_staff_with_their_totp_secret(
    settings, capsys, tmp_path
):
    from core.allauth_bridge import is_mfa_enabled
    from staff.models import StaffMember

    settings.DEMO = True
    settings.VAR_DIR = tmp_path
    call_command("load_demo", port="8104")
    first = capsys.readouterr().out
    call_command("load_demo", port="8104")

    again = capsys.readouterr().out
    # The same staff and secrets, not new ones.
    assert again.split("Espace agence", 1)[1] == first.split("Espace agence", 1)[1]
    assert "http://agence.hdf.localhost:8104/" in first
    for line in ["administrateur.hdf@exemple.fr", "agent.hdf@exemple.fr"]:
        assert line in first
    assert StaffMember.objects.count() == 8
    agent = StaffMember.objects.get(user__email="agent.hmp@exemple.fr")
    assert [agency.code for agency in agent.agencies.all()] == ["NORD"]
    assert is_mfa_enabled(agent.user)
    secret = re.search(r"agent\.hmp@exemple\.fr\s+secret TOTP (\w+)", first)[1]
    assert len(secret) == 32


def test_the_demo_operators_first_sign_in_at_the_platform_admin_reaches_two_step_setup(
    settings, tmp_path
):
    from django.test import Client

    settings.DEMO = True
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    password = (tmp_path / "demo-admin-password").read_text().strip()
    client = Client(HTTP_HOST="localhost")

    response = client.post(
        "/compte/login/?next=/admin/",
        {"login": "admin@localhost", "password": password},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/compte/reauthenticate/")
