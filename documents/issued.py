"""Issued documents (quittance, reçu, attestation): references, titles, files and PDFs."""

import datetime
import hashlib
import json
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse

from documents.facts import _attach_pdf, for_template, of_month
from documents.models import IssuedDocument
from documents.rendering import renderer

# No 0/O, 1/I/L, U/V look-alikes: a reference read aloud or typed from paper stays right.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_LENGTH = 12  # 29**12: about 58 bits


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_digest(reference: str) -> str:
    return hashlib.sha256(reference.encode()).hexdigest()


def display_reference(reference: str) -> str:
    """ "Q7K4M9PX2RTD" → "Q7K4-M9PX-2RTD"."""
    return "-".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def fingerprint(kind: str, period: datetime.date, content: dict) -> str:
    """SHA-256 of what makes a document this one: its kind, month and stated content
    (a reçu's amounts, a quittance's, a certificate's facts with its day)."""
    canonical = json.dumps(
        {"kind": kind, "period": period.isoformat(), "content": content},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def find_issued(account, kind, period, content_fingerprint) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        account=account, kind=kind, period=period, fingerprint=content_fingerprint
    ).first()


def issue_document(account, kind, period, facts, content_fingerprint: str) -> IssuedDocument:
    """The document with this content: the one already issued, or a new one with a fresh
    reference. Two requests at once: the unique constraint on (account, kind, period,
    fingerprint) lets one insert; the other finds that one."""
    for _ in range(5):
        reference = new_reference()
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(
                    account=account,
                    kind=kind,
                    period=period,
                    fingerprint=content_fingerprint,
                    reference=reference,
                    reference_digest=reference_digest(reference),
                    facts=facts,
                )
        except IntegrityError:
            existing = find_issued(account, kind, period, content_fingerprint)
            if existing is None and kind == IssuedDocument.Kind.QUITTANCE:
                existing = IssuedDocument.objects.filter(
                    account=account, kind=kind, period=period
                ).first()
            if existing:
                return existing
            # else: the reference clashed with another document's; draw again
    raise RuntimeError("Could not draw a unique document reference")


CONTENT_TEMPLATES: dict[str, str] = {
    IssuedDocument.Kind.QUITTANCE: "documents/content/receipt.html",
    IssuedDocument.Kind.RECEIPT: "documents/content/receipt.html",
    IssuedDocument.Kind.CERTIFICATE: "documents/content/certificate.html",
}


PDF_KINDS: dict[str, str] = {
    IssuedDocument.Kind.QUITTANCE: "receipt",
    IssuedDocument.Kind.RECEIPT: "receipt",
    IssuedDocument.Kind.CERTIFICATE: "certificate",
}


def document_title(kind: str, period: datetime.date | None) -> str:
    """The one title of an issued document: in the list, on its page and in its PDF."""
    # Only a certificate has no month.
    if kind == IssuedDocument.Kind.CERTIFICATE or period is None:
        return "Attestation de loyer à jour"
    if kind == IssuedDocument.Kind.QUITTANCE:
        return f"Quittance de loyer {of_month(period)}"
    return f"Reçu de paiement partiel {of_month(period)}"


def issued_title(document: IssuedDocument) -> str:
    return document_title(document.kind, document.period)


def issued_filename(document: IssuedDocument) -> str:
    number = document.account.number
    if document.kind == IssuedDocument.Kind.CERTIFICATE:
        issued_on = document.facts["issued_on"]
        return f"attestation-loyer-a-jour-{issued_on}-{number}.pdf"
    return f"{document.kind}-{document.period:%Y-%m}-{number}.pdf"


def verification_url(landlord, reference: str = "") -> str:
    """On the landlord's primary host: that is where the QR code and the reference lead."""
    path = (
        reverse("verify_document", args=[display_reference(reference)])
        if reference
        else reverse("verify")
    )
    return landlord.public_url(path)


def qr_code_inline(url: str) -> str:
    """The code as inline SVG markup for the web page (the CSP refuses data: images)."""
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=4,
        border=2,
        svgclass="doc-qr",
        title="Code QR menant à la page de vérification de ce document",
    )


def qr_code_svg(url: str) -> str:
    """The same code as SVG text, for the PDF."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def issued_context(document: IssuedDocument) -> dict:
    """What the document's template needs, for the PDF and the HTML page alike."""
    landlord = document.account.landlord
    url = verification_url(landlord, document.reference)
    return {
        "doc": {
            **for_template(document.facts),
            "reference_display": display_reference(document.reference),
            "verify_form_url": verification_url(landlord),
        },
        "qr_svg": qr_code_inline(url),
        "verification_url": url,
    }


def issued_with_pdf(document: IssuedDocument) -> IssuedDocument:
    if not document.pdf:
        landlord = document.account.landlord
        pdf = renderer().render_pdf(
            landlord=landlord,
            title=issued_title(document),
            kind=PDF_KINDS[document.kind],
            doc={
                **document.facts,
                "reference_display": display_reference(document.reference),
                "verify_form_url": verification_url(landlord),
            },
            qr_svg=qr_code_svg(verification_url(landlord, document.reference)),
        )
        _attach_pdf(IssuedDocument, document, issued_filename(document), pdf)
    return document
