"""What every document states: the parties on the day, dates for templates, stored files.

documents/services.py lists the documents' modules and is what callers import.
"""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core import french
from tenancies.models import Lease, TenantAccount

DATE_KEYS = {"period", "issued_on", "due_date", "balance_date", "paid_on", "lease_start", "date"}


class DocumentUnavailable(Exception):
    """The document cannot be issued; the message says why, in French."""


def _primary_lease(account: TenantAccount, on: datetime.date) -> tuple[Lease | None, list]:
    """The dwelling's lease (a current one, a dwelling before a parking) and all current ones."""
    leases = list(account.leases.all())
    current = [lease for lease in leases if lease.is_current(on)]
    candidates = current or sorted(leases, key=lambda lease: lease.start_date, reverse=True)
    if not candidates:
        return None, []
    ordered = sorted(
        candidates, key=lambda lease: (lease.kind != Lease.Kind.DWELLING, lease.start_date)
    )
    return ordered[0], current or ordered[:1]


def postal_lines(landlord) -> list[str]:
    """The head office's address, without the name when the address starts with it."""
    lines = [line.strip() for line in landlord.postal_address.splitlines() if line.strip()]
    return lines[1:] if lines[:1] == [landlord.name] else lines


def person_name(signatory) -> str:
    return f"{signatory.last_name} {signatory.first_name}"


def parties(account: TenantAccount, on: datetime.date) -> dict:
    """Who and where on that day: landlord, agency, account, tenants, dwelling (JSON-ready)."""
    landlord = account.landlord
    lease, leases = _primary_lease(account, on)
    agency = account.agency
    tenants = []
    for each in leases:
        for signatory in sorted(each.signatories.all(), key=lambda s: s.position):
            if person_name(signatory) not in tenants:
                tenants.append(person_name(signatory))
    dwelling = []
    if lease is not None:
        dwelling = [lease.address, lease.address_complement, f"{lease.postal_code} {lease.city}"]
    return {
        "landlord": {"name": landlord.name, "address": postal_lines(landlord)},
        "agency": {
            "name": agency.name,
            "address": agency.address,
            "postal_code": agency.postal_code,
            "city": agency.city,
            "phone": agency.phone,
            "email": agency.email,
        }
        if agency
        else None,
        "account_number_label": landlord.account_number_label,
        "account_number": account.number,
        "lease_references": [each.reference for each in leases],
        "tenants": tenants,
        "dwelling": [line for line in dwelling if line],
        "lease_start": lease.start_date.isoformat() if lease else None,
    }


def erp_numbers(account: TenantAccount, on: datetime.date) -> dict:
    """The ERP's numbers of the current leases that a notice prints where the ERP gives
    them (N° Tiers, N° Formule), each told once."""
    _lease, leases = _primary_lease(account, on)
    return {
        key: ", ".join(dict.fromkeys(value for each in leases if (value := getattr(each, key))))
        for key in ("third_party_number", "billing_formula")
    }


def for_template(facts):
    """Stored facts (ISO dates) as a template reads them (dates)."""
    if isinstance(facts, dict):
        return {
            key: datetime.date.fromisoformat(value)
            if key in DATE_KEYS and isinstance(value, str)
            else for_template(value)
            for key, value in facts.items()
        }
    if isinstance(facts, list):
        return [for_template(value) for value in facts]
    return facts


def month_name(period: datetime.date) -> str:
    return french.month_name(period)


def of_month(period: datetime.date) -> str:
    """ "de novembre 2026", "d'octobre 2026": French elides before a vowel (core.french)."""
    return french.of_month(period)


def today() -> datetime.date:
    return timezone.localdate()


def store_file(field_file, filename: str, content: bytes) -> str:
    """Save `content` under a fresh name in the default storage; the name saved."""
    name = field_file.field.generate_filename(field_file.instance, filename)
    return default_storage.save(name, ContentFile(content))


def _attach_pdf(model, instance, filename: str, content: bytes) -> None:
    """Store the PDF and record it, unless another process stored one first (then use it)."""
    name = store_file(instance.pdf, filename, content)
    try:
        attached = model.objects.filter(pk=instance.pk, pdf="").update(pdf=name)
    except BaseException:
        default_storage.delete(name)  # no row points to it: never left orphaned
        raise
    if attached:
        instance.pdf.name = name
        return
    default_storage.delete(name)
    instance.refresh_from_db(fields=["pdf"])
