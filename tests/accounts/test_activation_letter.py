import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import ActivationLetter
from tenancies.models import TenantAccount
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_print_a_letter_with_a_one_time_code_from_the_admin(client, demo, django_user_model):
    account = TenantAccount.objects.get(number="590000000012345")
    account.phone_unknown_reported_at = "2026-11-20T10:00:00Z"
    account.save()
    staff = UserFactory(email="agent@hdf.example", staff=True, totp=True)
    client.force_login(staff)

    response = client.post(
        reverse("admin:tenancies_tenantaccount_changelist", urlconf="config.urls_platform"),
        {"action": "print_activation_letters", "_selected_action": [account.pk]},
        HTTP_HOST="localhost",
    )

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "LEROY" in text
    assert "590000000012345" in text
    catalog = PdfReader(io.BytesIO(response.content)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp and "<pdfuaid:part>1</pdfuaid:part>" in xmp
    letter = ActivationLetter.objects.get()
    assert letter.signatory.last_name == "LEROY"
    account.refresh_from_db()
    assert account.phone_unknown_reported_at is None
