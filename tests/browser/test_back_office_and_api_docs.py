"""The back office (Django's admin) and the API documentation under the strict CSP.

Every page here is watched for Content-Security-Policy violations (tests/browser/conftest.py).
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from core.allauth_bridge import TOTP, generate_totp_secret
from landlords.models import Landlord
from tenancies.models import TenantAccount

PLATFORM = "config.urls_platform"


@pytest.fixture
def staff_page(demo_site, phone, django_user_model):
    """The phone's browser signed in as staff (with an authenticator) on the platform host."""
    staff = django_user_model.objects.create_superuser("admin@exemple.fr", "x")
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_site("localhost")}]
    )
    return phone


def admin_paths():
    paths = [reverse("admin:index", urlconf=PLATFORM)]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{name}_changelist", urlconf=PLATFORM))
    return paths


def visit(page, url):
    response = page.goto(url)
    # Let the page's own requests (scripts, favicon) end before the next one: the live
    # server's threads share one SQLite connection in the tests.
    page.wait_for_load_state("networkidle")
    return response


def test_every_back_office_list_runs_under_the_policy(demo_site, staff_page):
    for path in admin_paths():
        assert visit(staff_page, demo_site("localhost", path)).status == 200, path


def test_back_office_forms_with_their_scripts_run_under_the_policy(demo_site, staff_page):
    landlord = Landlord.objects.get(slug="hmp")
    account = TenantAccount.objects.filter(landlord=landlord).first()
    for path in [
        reverse("admin:tenancies_tenantaccount_change", args=[account.pk], urlconf=PLATFORM),
        reverse("admin:landlords_landlord_add", urlconf=PLATFORM),
        reverse("admin:landlords_landlord_change", args=[landlord.pk], urlconf=PLATFORM),
    ]:
        assert visit(staff_page, demo_site("localhost", path)).status == 200, path
    # Inline rows are added by the admin's own script.
    rows = staff_page.locator("[class*='dynamic-']")
    before = rows.count()
    staff_page.locator(".add-row a").first.click()
    assert rows.count() == before + 1


def test_the_api_documentation_runs_under_the_policy(demo_site, phone):
    response = phone.goto(demo_site("hmp.localhost", "/api/docs"))

    assert response.status == 200
    phone.locator(".swagger-ui .info .title").wait_for()
    assert "paiements en ligne" in phone.locator(".swagger-ui .info .title").inner_text()
