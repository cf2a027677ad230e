"""The Tableau de bord counts what waits, within the staff member's reach."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice.dashboard import late_payments
from payments.models import Payment
from staff.models import StaffMember
from staff.roles import Role
from tenancies.models import TenantAccount
from tests.backoffice.conftest import BACKOFFICE, PASSWORD
from tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def tiles(client):
    page = client.get(reverse("backoffice:dashboard", urlconf=BACKOFFICE)).context["tiles"]
    return {tile["label"]: tile for tile in page}


def test_each_count_links_to_its_list(make_staff, agence, make_tenant):
    account = TenantAccount.objects.get(number="590000000012345")
    TenantAccount.objects.filter(pk=account.pk).update(phone_unknown_reported_at=timezone.now())
    user = make_tenant("hdf")
    user.emailaddress_set.update(verified=False)
    late = PaymentFactory(account=account, backend="systempay", amount_cents=2000)
    Payment.objects.filter(pk=late.pk).update(
        state="pending", created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    PaymentFactory(account=account, backend="systempay", amount_cents=2000)  # just made
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))

    shown = tiles(client)

    assert shown["Locataires à débloquer"]["count"] == 1
    assert shown["Inscriptions commencées, jamais activées"]["count"] == 1
    assert (
        client.get(shown["Inscriptions commencées, jamais activées"]["url"])
        .context["table"]
        .rows[0]
        .record
        == account
    )
    # Only the payment past its providers' answer time is late.
    member = StaffMember.objects.get(user__email="administrateur.hdf@exemple.fr")
    assert list(late_payments(member)) == [late]


def test_another_landlords_tenants_are_not_counted(make_staff, agence, make_tenant):
    TenantAccount.objects.filter(number="000123").update(phone_unknown_reported_at=timezone.now())
    make_tenant("hmp").emailaddress_set.update(verified=False)
    client = agence("hdf", make_staff("hdf", Role.ADMINISTRATOR))

    shown = tiles(client)

    assert shown["Locataires à débloquer"]["count"] == 0
    assert shown["Inscriptions commencées, jamais activées"]["count"] == 0


def test_a_staff_session_ends_eight_hours_after_sign_in(make_staff, settings):
    user = make_staff("hdf", Role.ADMINISTRATOR, mfa=False)
    client = Client(HTTP_HOST="agence.hdf.localhost")
    client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
    client.get("/")
    session = client.session
    session["signed_in_at"] = time.time() - settings.STAFF_SESSION_MAX_AGE_SECONDS - 1
    session.save()

    response = client.get("/", follow=True)

    assert "Votre session a expiré" in response.text
    assert "_auth_user_id" not in client.session
