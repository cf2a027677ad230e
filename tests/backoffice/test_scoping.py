"""Staff see only their landlord (404 otherwise), agents only their agencies' tenants."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Access
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.backoffice.conftest import BACKOFFICE
from tests.factories import (
    AccessFactory,
    AgencyFactory,
    LeaseFactory,
    SignatoryFactory,
    TenantAccountFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"backoffice:{name}", args=args, urlconf=BACKOFFICE)


@pytest.fixture
def hdf_account(demo):
    return TenantAccount.objects.get(landlord__slug="hdf", number="590000000012345")


@pytest.fixture
def other_agency_account(hdf_account):
    """An HDF account at another agency than LILLE, with a signatory who has a login."""
    roubaix = AgencyFactory(landlord=hdf_account.landlord, code="ROUBAIX", name="Agence Roubaix")
    account = TenantAccountFactory(
        landlord=hdf_account.landlord, number="590000000099999", agency=roubaix
    )
    signatory = SignatoryFactory(lease=LeaseFactory(account=account), last_name="MARTIN")
    return account, signatory


def object_urls(account, signatory_id, access_id):
    return {
        "get": [url("tenant", account.pk), url("view_as", account.pk)],
        "post": [
            url("correct_mobile", account.pk, signatory_id),
            url("print_letter", account.pk),
            url("lift_signup_lock", account.pk),
            url("resend_activation", account.pk, access_id),
            url("lift_lock", account.pk, access_id),
            url("close_access", account.pk, access_id),
        ],
    }


def assert_every_object_url_is_404(client, account, signatory_id, access_id):
    urls = object_urls(account, signatory_id, access_id)
    for path in urls["get"]:
        assert client.get(path).status_code == 404, path
    for path in urls["post"]:
        response = client.post(path, {"reason": "essai", "mobile": "06 11 11 11 11"})
        assert response.status_code == 404, path


def test_staff_of_another_landlord_get_404_for_every_tenant_url(
    make_staff, agence, hdf_account, make_tenant
):
    make_tenant("hdf")
    access = Access.objects.get(signatory__lease__account=hdf_account)
    hmp_admin = make_staff("hmp", Role.ADMINISTRATOR)
    # On their own landlord's host, the HDF ids do not exist for them.
    client = agence("hmp", hmp_admin)

    assert_every_object_url_is_404(client, hdf_account, access.signatory_id, access.pk)
    assert access.signatory.mobile_phone == "+33612345661"
    assert Access.objects.filter(pk=access.pk).exists()


def test_an_agent_gets_404_for_another_agencys_tenant(
    hdf_agent, agence, other_agency_account, django_user_model
):
    account, signatory = other_agency_account
    user = django_user_model.objects.create_user("martin@exemple.com", "x")
    access = AccessFactory(user=user, signatory=signatory)
    client = agence("hdf", hdf_agent)

    assert_every_object_url_is_404(client, account, signatory.pk, access.pk)
    assert len(client.get(url("search"), {"q": "martin"}).context["table"].rows) == 0
    # Their own agency's tenant is found and opens.
    found = client.get(url("search"), {"q": "leroy"})
    assert "590000000012345" in found.text
    assert "590000000099999" not in found.text


def test_relation_clientele_sees_every_agency(make_staff, agence, other_agency_account):
    account, _signatory = other_agency_account
    client = agence("hdf", make_staff("hdf", Role.CUSTOMER_RELATIONS))

    assert client.get(url("tenant", account.pk)).status_code == 200
    assert "590000000099999" in client.get(url("search"), {"q": "Martin"}).text


def test_a_login_of_another_account_is_404_on_this_accounts_urls(
    make_staff, agence, hdf_account, other_agency_account, django_user_model
):
    _account, signatory = other_agency_account
    user = django_user_model.objects.create_user("martin@exemple.com", "x")
    access = AccessFactory(user=user, signatory=signatory)
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))

    for name in ["resend_activation", "lift_lock", "close_access"]:
        assert client.post(url(name, hdf_account.pk, access.pk), {"reason": "x"}).status_code == 404
    response = client.post(
        url("correct_mobile", hdf_account.pk, signatory.pk),
        {"reason": "x", "mobile": "06 11 11 11 11"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.AGENT, {"dashboard", "search", "unblock_queue"}),
        (Role.CUSTOMER_RELATIONS, {"dashboard", "search", "unblock_queue"}),
        (Role.ACCOUNTING, {"dashboard", "search"}),
        (Role.ADMINISTRATOR, {"dashboard", "search", "unblock_queue", "journal", "journal_csv"}),
    ],
)
def test_each_role_has_its_lists(make_staff, agence, role, allowed):
    client = agence("hdf", make_staff("hdf", role, agencies=["LILLE"]))

    for name in ["dashboard", "search", "unblock_queue", "journal", "journal_csv"]:
        expected = 200 if name in allowed else 403
        assert client.get(url(name)).status_code == expected, name


def test_lists_show_only_this_landlords_rows(make_staff, agence, demo):
    from audit import record
    from landlords.models import Landlord

    record("journal.exported", landlord=Landlord.objects.get(slug="hmp"), reason="chez HMP")
    record("journal.exported", landlord=Landlord.objects.get(slug="hdf"), reason="chez HDF")
    TenantAccount.objects.filter(number="000123").update(
        phone_unknown_reported_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC)
    )
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))

    journal = client.get(url("journal")).text
    assert "chez HDF" in journal
    assert "chez HMP" not in journal
    assert "000123" not in client.get(url("unblock_queue")).text
    assert len(client.get(url("search"), {"q": "000123"}).context["table"].rows) == 0
    assert "chez HMP" not in client.get(url("journal_csv")).content.decode()


def test_a_staff_member_without_two_step_verification_opens_no_list(make_staff, agence):
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR, mfa=False))

    for name in ["dashboard", "search", "unblock_queue", "journal", "journal_csv"]:
        assert client.get(url(name))["Location"] == reverse("mfa_activate_totp", urlconf=BACKOFFICE)
