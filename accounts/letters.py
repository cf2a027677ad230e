"""Posted activation letters, for tenants who do not know the mobile on file."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from accounts.signup import LETTER_CODE_LIFETIME, create_activation_letter
from tenancies.models import TenantAccount


def activation_letters_pdf(accounts: list[TenantAccount], staff_user, base_url: str) -> bytes:
    """One printable page per current signatory, each with a new one-time code."""
    letters = []
    for account in accounts:
        for lease in account.current_leases().prefetch_related("signatories"):
            for signatory in lease.signatories.all():
                letters.append(
                    {
                        "landlord": account.landlord,
                        "account": account,
                        "lease": lease,
                        "signatory": signatory,
                        "agency": account.agency,
                        "code": create_activation_letter(signatory, staff_user),
                        # Staff print letters from the back office, whose host has other URLs.
                        "signup_url": account.landlord.public_url(
                            reverse("signup", urlconf=settings.ROOT_URLCONF)
                        ),
                    }
                )
    html = render_to_string(
        "accounts/letters/activation_letter.html",
        {
            "letters": letters,
            "today": timezone.localdate(),
            "valid_until": timezone.localdate() + LETTER_CODE_LIFETIME,
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
