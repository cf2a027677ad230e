"""Posted activation letters, for tenants who do not know the mobile on file."""

from django.template.loader import render_to_string
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
                        "signup_url": f"https://{account.landlord.primary_host}/inscription/",
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
