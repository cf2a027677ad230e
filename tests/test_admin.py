import pytest
from django.urls import reverse

from demo.loading import load_demo_landlords
from landlords.models import Landlord
from tenancies.models import TenantAccount
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PLATFORM = "config.urls_platform"


@pytest.fixture
def staff_client(client, django_user_model):
    load_demo_landlords()
    staff = UserFactory(email="admin@exemple.fr", staff=True, totp=True)
    client.force_login(staff)
    return client


ADMIN_MODELS = [
    "landlords_landlord",
    "landlords_agency",
    "tenancies_tenantaccount",
    "tenancies_lease",
    "billing_ledgerentry",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_every_tenant_record(staff_client, model):
    response = staff_client.get(
        reverse(f"admin:{model}_changelist", urlconf=PLATFORM), HTTP_HOST="localhost"
    )

    assert response.status_code == 200


def test_admin_shows_an_accounts_balance(staff_client):
    account = TenantAccount.objects.get(number="123456")

    response = staff_client.get(
        reverse("admin:tenancies_tenantaccount_change", args=[account.pk], urlconf=PLATFORM),
        HTTP_HOST="localhost",
    )

    assert "610,68\u00a0€" in response.text


def test_admin_refuses_a_brand_colour_without_contrast(staff_client):
    landlord = Landlord.objects.get(slug="hmp")
    url = reverse("admin:landlords_landlord_change", args=[landlord.pk], urlconf=PLATFORM)
    form = staff_client.get(url, HTTP_HOST="localhost").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"brand_color": "#9ecbf0", "logo": ""})
    for prefix in ("hosts", "agencies"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = staff_client.post(url, data, HTTP_HOST="localhost")

    assert "Contraste insuffisant" in response.text
    landlord.refresh_from_db()
    assert landlord.brand_color == "#00558c"


def test_back_office_is_not_served_on_a_landlords_host(client):
    load_demo_landlords()

    assert client.get("/admin/login/", HTTP_HOST="hmp.localhost").status_code == 404
    # On the platform, staff sign in through allauth, where the authenticator code applies.
    response = client.get("/admin/login/", HTTP_HOST="localhost")
    assert response["Location"].startswith("/compte/login/")
    assert client.get(response["Location"], HTTP_HOST="localhost").status_code == 200
