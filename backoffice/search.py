"""Rechercher un locataire: by account number, name (tolerant, as the sign-up matching),
email or phone, among the accounts the staff member may see."""

from django.db.models import Q, QuerySet

from accounts.forms import parse_french_phone
from tenancies.models import Signatory
from tenancies.names import normalize_name

MAX_NAME_CANDIDATES = 200


def search_accounts(accounts: QuerySet, text: str) -> QuerySet:
    text = " ".join(text.split())
    if not text:
        return accounts.none()
    compact = text.replace(" ", "")
    matches = Q(number__startswith=compact)
    if "@" in text:
        matches |= Q(leases__signatories__email__iexact=text) | Q(
            leases__signatories__access__user__email__iexact=text
        )
    try:
        phone = parse_french_phone(text, mobile=False)
    except Exception:
        phone = ""
    if phone:
        matches |= (
            Q(leases__signatories__mobile_phone=phone)
            | Q(leases__signatories__landline_phone=phone)
            | Q(leases__signatories__access__user__mobile_phone=phone)
        )
    matches |= Q(pk__in=_accounts_named(accounts, text))
    return accounts.filter(matches).distinct()


def _accounts_named(accounts: QuerySet, text: str) -> list[int]:
    """Accounts with a signatory whose names hold every word typed, whatever the case,
    accents, hyphens and apostrophes ("leroy sophie", "Lèroy")."""
    words = normalize_name(text).split()
    if not words or any(char.isdigit() for char in text):
        return []
    signatories = Signatory.objects.filter(lease__account__in=accounts).values_list(
        "lease__account_id", "last_name", "first_name"
    )
    found = []
    for account_id, last_name, first_name in signatories.iterator():
        names = normalize_name(f"{last_name} {first_name}").split()
        if all(any(name.startswith(word) for name in names) for word in words):
            found.append(account_id)
            if len(found) >= MAX_NAME_CANDIDATES:
                break
    return found
