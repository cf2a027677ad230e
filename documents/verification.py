"""Public verification: anyone holding a document checks its reference on the landlord's host."""

import hmac
from dataclasses import dataclass

from core import throttle
from documents.facts import for_template
from documents.issued import REFERENCE_ALPHABET, REFERENCE_LENGTH, issued_title, reference_digest
from documents.models import IssuedDocument

VERIFY_THROTTLE_SCOPE = "document-verification"
VERIFY_FREE_FAILURES = 10


def normalize_reference(text: str) -> str | None:
    """What was typed or scanned ("q7k4 m9px-2rtd"), as stored; None if it cannot be one."""
    reference = "".join(ch for ch in text.upper() if ch not in " -\u00a0\t")
    if len(reference) != REFERENCE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in reference):
        return None
    return reference


def find_document(landlord, text: str) -> IssuedDocument | None:
    """The landlord's document with this reference, else None (unknown, tampered, malformed).

    The lookup goes through the reference's SHA-256, so the database never compares the
    secret itself (no timing clue); the final comparison is constant-time.
    """
    reference = normalize_reference(text)
    if reference is None:
        return None
    document = (
        IssuedDocument.objects.filter(
            reference_digest=reference_digest(reference), account__landlord=landlord
        )
        .select_related("account__landlord")
        .first()
    )
    if document and hmac.compare_digest(document.reference, reference):
        return document
    return None


@dataclass
class Verification:
    document: IssuedDocument | None = None
    wait_message: str | None = None


def verify(landlord, text: str, client_ip: str) -> Verification:
    """Look a reference up for anyone; unknown references are throttled per address."""
    keys = [client_ip]
    wait = throttle.seconds_to_wait(VERIFY_THROTTLE_SCOPE, keys)
    if wait:
        return Verification(wait_message=throttle.wait_message(wait))
    document = find_document(landlord, text)
    if document is None:
        throttle.record_failure(VERIFY_THROTTLE_SCOPE, keys, free_attempts=VERIFY_FREE_FAILURES)
    return Verification(document=document)


def masked_account_number(number: str) -> str:
    """Enough for whoever holds the document to compare it, not to reuse it: "•••123"."""
    return "•" * max(len(number) - 3, 0) + number[-3:]


def public_facts(document: IssuedDocument) -> dict:
    """What a verified document states, and nothing more (no address, no agency)."""
    facts = for_template(document.facts)
    shown = {
        "title": issued_title(document),
        "kind": document.kind,
        "landlord": facts["landlord"]["name"],
        "account_number": masked_account_number(facts["account_number"]),
        "tenants": facts["tenants"],
        "period": facts.get("period"),
        "issued_on": facts["issued_on"],
    }
    keys_by_kind: dict[str, list[str]] = {
        IssuedDocument.Kind.QUITTANCE: [
            "rent_cents",
            "charges_cents",
            "aid_cents",
            "tenant_share_cents",
            "paid_on",
        ],
        IssuedDocument.Kind.RECEIPT: ["charged_cents", "paid_cents", "remaining_cents"],
        IssuedDocument.Kind.CERTIFICATE: ["monthly"],
    }
    return shown | {key: facts.get(key) for key in keys_by_kind[document.kind]}
