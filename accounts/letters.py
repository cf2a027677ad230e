"""Posted activation letters, for tenants who do not know the mobile on file.

Rendered like the documents (core/pdf.py: Typst, PDF/A-3a and PDF/UA-1) from
templates/pdf/activation_letter.typ.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.signup import LETTER_CODE_LIFETIME, create_activation_letter
from core import pdf
from tenancies.models import TenantAccount

TITLE = "Courrier d'activation de l'espace locataire"


def activation_letters_pdf(accounts: list[TenantAccount], staff_user) -> bytes:
    """One printable page per current signatory, each with a new one-time code."""
    letters: list[dict] = []
    for account in accounts:
        agency = account.agency
        for lease in account.current_leases().prefetch_related("signatories"):
            for signatory in lease.signatories.all():
                recipient = [f"{signatory.first_name} {signatory.last_name}", lease.address]
                if lease.address_complement:
                    recipient.append(lease.address_complement)
                recipient.append(f"{lease.postal_code} {lease.city}")
                letters.append(
                    {
                        "landlord": account.landlord.name,
                        "agency": {
                            "name": agency.name,
                            "address": agency.address,
                            "postal_code": agency.postal_code,
                            "city": agency.city,
                            "phone": agency.phone,
                        }
                        if agency
                        else None,
                        "recipient": recipient,
                        "account_number_label": account.landlord.account_number_label,
                        "account_number": account.number,
                        "by_sms": account.landlord.identity_proof == "phone_sms",
                        "code": create_activation_letter(signatory, staff_user),
                        # Staff print letters from the back office, whose host has other URLs.
                        "signup_url": account.landlord.public_url(
                            reverse("signup", urlconf=settings.ROOT_URLCONF)
                        ),
                    }
                )
    today = timezone.localdate()
    return pdf.render(
        "activation_letter.typ",
        {
            "title": TITLE,
            "author": ", ".join(dict.fromkeys(str(letter["landlord"]) for letter in letters)),
            "date": f"{today:%d/%m/%Y}",
            "valid_until": f"{today + LETTER_CODE_LIFETIME:%d/%m/%Y}",
            "letters": letters,
        },
    )
