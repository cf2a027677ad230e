"""Mes documents: which documents an account has, issuing them, storing them, verifying them.

Kinds (docs/documents.md):
- a rent notice (avis d'échéance) per billed month, generated from the ledger or imported
  from the ERP;
- a quittance for a fully paid month (loi du 6 juillet 1989, art. 21), a reçu for a partly
  paid one: never a quittance for a month that is not fully paid;
- an attestation de loyer à jour when the account has no arrears.

A document's facts are computed once, stored as JSON, and its PDF is rendered from them
once and kept in the default storage: a download never re-renders a stored document.
Receipts and certificates carry an unguessable reference that anyone can verify.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts import throttle
from billing import statement
from billing.money import format_euros
from documents.models import IssuedDocument, RentNotice
from documents.rendering import renderer
from tenancies.models import Lease, TenantAccount

# No 0/O, 1/I/L, U/V look-alikes: a reference read aloud or typed from paper stays right.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_LENGTH = 12  # 29**12: about 58 bits
VERIFY_THROTTLE_SCOPE = "document-verification"
VERIFY_FREE_FAILURES = 10

DATE_KEYS = {"period", "issued_on", "due_date", "balance_date", "paid_on", "lease_start", "date"}


class DocumentUnavailable(Exception):
    """The document cannot be issued; the message says why, in French."""


# --- Facts shared by every document ------------------------------------------------------


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
    return date_format(period, "F Y")


def of_month(period: datetime.date) -> str:
    """ "de novembre 2026", "d'octobre 2026": French elides before a vowel."""
    name = month_name(period)
    return f"d'{name}" if name[0] in "aeiou" else f"de {name}"


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


# --- Rent notices ------------------------------------------------------------------------


def notice_facts(account, entries, period: datetime.date, on: datetime.date) -> dict | None:
    stated = statement.notice(entries, period, account.landlord.rent_due_day)
    if stated is None:
        return None
    return {
        **parties(account, on),
        "period": period.isoformat(),
        "issued_on": on.isoformat(),
        "due_date": stated.due_date.isoformat(),
        "balance_date": stated.balance_date.isoformat(),
        "lines": [
            {"label": line.label, "category": line.category, "amount_cents": line.amount_cents}
            for line in stated.lines
        ],
        "previous_balance_cents": stated.previous_balance_cents,
        "total_cents": stated.total_cents,
        "amount_due_cents": stated.amount_due_cents,
    }


def new_notice(account, period, facts) -> RentNotice:
    return RentNotice(
        account=account,
        period=period,
        source=RentNotice.Source.GENERATED,
        previous_balance_cents=facts["previous_balance_cents"],
        total_cents=facts["total_cents"],
        amount_due_cents=facts["amount_due_cents"],
        due_date=facts["due_date"],
        facts=facts,
    )


def notice_for(account: TenantAccount, period: datetime.date) -> RentNotice:
    """The month's notice as issued, created from the ledger the first time it is asked for."""
    existing = RentNotice.objects.filter(account=account, period=period).first()
    if existing:
        existing.account = account  # already loaded with its landlord
        return existing
    facts = notice_facts(account, statement.ledger(account), period, today())
    if facts is None:
        raise DocumentUnavailable(f"Aucun avis d'échéance pour {month_name(period)}.")
    try:
        with transaction.atomic():
            notice = new_notice(account, period, facts)
            notice.save()
            return notice
    except IntegrityError:  # created meanwhile by another request or the generation task
        return RentNotice.objects.get(account=account, period=period)


def notice_title(period: datetime.date) -> str:
    return f"Avis d'échéance {of_month(period)}"


def notice_filename(notice: RentNotice) -> str:
    return f"avis-echeance-{notice.period:%Y-%m}-{notice.account.number}.pdf"


def notice_with_pdf(notice: RentNotice) -> RentNotice:
    """The notice with its stored PDF, rendered and stored now if it is the first download."""
    if not notice.pdf:
        pdf = renderer().render_pdf(
            landlord=notice.account.landlord,
            title=notice_title(notice.period),
            content_template="documents/content/notice.html",
            context={"doc": for_template(notice.facts)},
        )
        _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
    return notice


def save_notice_pdf(notice: RentNotice, pdf: bytes) -> int:
    """Store a rendered notice (row and file together); 0 if someone stored it first."""
    if notice.pk is not None:
        _attach_pdf(RentNotice, notice, notice_filename(notice), pdf)
        return 1
    notice.pdf.name = store_file(notice.pdf, notice_filename(notice), pdf)
    try:
        with transaction.atomic():
            notice.save()
        return 1
    except IntegrityError:
        # Created meanwhile by a first download: that one is what was issued (a later
        # run or the download renders it from its own facts).
        default_storage.delete(notice.pdf.name)
        return 0
    except BaseException:
        default_storage.delete(notice.pdf.name)  # the row was not written: nor is the file
        raise


def notice_periods(entries, notices) -> list[datetime.date]:
    """Every month with a notice (billed in the ledger, or imported), newest first."""
    return sorted(
        set(statement.notice_periods(entries)) | {notice.period for notice in notices},
        reverse=True,
    )


# --- Receipts: quittance or reçu ---------------------------------------------------------


@dataclass
class MonthReceipt:
    period: datetime.date
    kind: str  # IssuedDocument.Kind.QUITTANCE or RECEIPT
    settlement: statement.Settlement

    @property
    def label(self) -> str:
        if self.kind == IssuedDocument.Kind.QUITTANCE:
            return f"Quittance de loyer {of_month(self.period)}"
        return f"Reçu de paiement partiel {of_month(self.period)}"

    @property
    def of_label(self) -> str:
        """ "de la quittance de loyer d'octobre 2026", for "PDF …" links."""
        if self.kind == IssuedDocument.Kind.QUITTANCE:
            return f"de la quittance de loyer {of_month(self.period)}"
        return f"du reçu de paiement partiel {of_month(self.period)}"


def month_receipts(entries, due_day: int) -> list[MonthReceipt]:
    """The receipt each month can have, newest first: a quittance only when fully paid.

    A month whose notice adds up to nothing to pay (aid above rent) has no payment to
    acknowledge, hence no receipt; a month with no payment has none either.
    """
    receipts = []
    for settlement in statement.settlements(entries, due_day):
        if settlement.charged_cents > 0 and settlement.fully_paid:
            receipts.append(
                MonthReceipt(settlement.period, IssuedDocument.Kind.QUITTANCE, settlement)
            )
        elif settlement.partly_paid:
            receipts.append(
                MonthReceipt(settlement.period, IssuedDocument.Kind.RECEIPT, settlement)
            )
    return sorted(receipts, key=lambda receipt: receipt.period, reverse=True)


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_digest(reference: str) -> str:
    return hashlib.sha256(reference.encode()).hexdigest()


def display_reference(reference: str) -> str:
    """ "Q7K4M9PX2RTD" → "Q7K4-M9PX-2RTD"."""
    return "-".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def _issue(account, kind, period, facts) -> IssuedDocument:
    """A new document with a fresh reference (drawn again in the unlikely event of a clash)."""
    for _ in range(5):
        reference = new_reference()
        try:
            with transaction.atomic():
                return IssuedDocument.objects.create(
                    account=account,
                    kind=kind,
                    period=period,
                    reference=reference,
                    reference_digest=reference_digest(reference),
                    facts=facts,
                )
        except IntegrityError:
            if kind == IssuedDocument.Kind.QUITTANCE:
                existing = IssuedDocument.objects.filter(
                    account=account, kind=kind, period=period
                ).first()
                if existing:
                    return existing
    raise RuntimeError("Could not draw a unique document reference")


def issue_receipt(account: TenantAccount, period: datetime.date) -> IssuedDocument:
    """The month's quittance (issued once, then the same one) or its reçu.

    A reçu is issued again only when the amount received for the month has changed.
    """
    quittance = IssuedDocument.objects.filter(
        account=account, kind=IssuedDocument.Kind.QUITTANCE, period=period
    ).first()
    if quittance:
        return quittance
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    receipt = next((r for r in month_receipts(entries, due_day) if r.period == period), None)
    if receipt is None:
        raise DocumentUnavailable(
            f"Aucun paiement n'est enregistré pour {month_name(period)} : "
            "ni quittance ni reçu ne peuvent être délivrés pour ce mois."
        )
    settlement = receipt.settlement
    on = today()
    facts = {**parties(account, on), "kind": receipt.kind, "period": period.isoformat()}
    facts["issued_on"] = on.isoformat()
    if receipt.kind == IssuedDocument.Kind.QUITTANCE:
        stated = statement.billed_notice(entries, period, due_day)
        facts |= {
            "rent_cents": stated.rent_cents,
            "charges_cents": stated.charges_cents,
            "aid_cents": stated.aid_cents,
            "tenant_share_cents": stated.total_cents,
            "paid_on": settlement.paid_on.isoformat() if settlement.paid_on else None,
        }
    else:
        amounts = {
            "charged_cents": settlement.charged_cents,
            "paid_cents": settlement.paid_cents,
            "remaining_cents": settlement.remaining_cents,
            "payments": [
                {"date": day.isoformat(), "cents": cents} for day, cents in settlement.payments
            ],
        }
        # The same reçu only if it states the same amounts (what the month costs can
        # change too: an adjustment for the month).
        for earlier in IssuedDocument.objects.filter(
            account=account, kind=IssuedDocument.Kind.RECEIPT, period=period
        ).order_by("-issued_at"):
            if all(earlier.facts.get(key) == value for key, value in amounts.items()):
                return earlier
        facts |= amounts
    return _issue(account, receipt.kind, period, facts)


# --- Certificate (attestation de loyer à jour) -------------------------------------------


def certificate_refusal(entries, due_day: int, on: datetime.date) -> str | None:
    """Why the certificate cannot be issued today, in French; None when it can."""
    arrears = statement.arrears_cents(entries, due_day, on)
    if arrears:
        return (
            "L'attestation de loyer à jour n'est pas disponible : votre compte présente "
            f"un impayé de {format_euros(arrears)} à ce jour. Elle le sera dès que cette "
            "somme sera réglée."
        )
    return None


def issue_certificate(account: TenantAccount) -> IssuedDocument:
    """Today's certificate; asked again the same day with the same facts, the same one."""
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    on = today()
    refusal = certificate_refusal(entries, due_day, on)
    if refusal:
        raise DocumentUnavailable(refusal)
    facts = {**parties(account, on), "kind": IssuedDocument.Kind.CERTIFICATE}
    facts["issued_on"] = on.isoformat()
    facts["monthly"] = None
    billed = [p for p in statement.notice_periods(entries) if p <= statement.month_start(on)]
    if billed:
        stated = statement.billed_notice(entries, billed[-1], due_day)
        facts["monthly"] = {
            "period": stated.period.isoformat(),
            "rent_cents": stated.rent_cents,
            "charges_cents": stated.charges_cents,
            "aid_cents": stated.aid_cents,
            "total_cents": stated.total_cents,
        }
    for earlier in IssuedDocument.objects.filter(
        account=account, kind=IssuedDocument.Kind.CERTIFICATE, facts__issued_on=on.isoformat()
    ):
        if earlier.facts == facts:
            return earlier
    return _issue(account, IssuedDocument.Kind.CERTIFICATE, None, facts)


# --- Issued documents: title, file, PDF --------------------------------------------------

CONTENT_TEMPLATES: dict[str, str] = {
    IssuedDocument.Kind.QUITTANCE: "documents/content/receipt.html",
    IssuedDocument.Kind.RECEIPT: "documents/content/receipt.html",
    IssuedDocument.Kind.CERTIFICATE: "documents/content/certificate.html",
}


def issued_title(document: IssuedDocument) -> str:
    # Only a certificate has no month.
    if document.kind == IssuedDocument.Kind.CERTIFICATE or document.period is None:
        return "Attestation de loyer à jour"
    if document.kind == IssuedDocument.Kind.QUITTANCE:
        return f"Quittance de loyer {of_month(document.period)}"
    return f"Reçu de paiement {of_month(document.period)}"


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


def qr_code_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


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
        "qr_uri": qr_code_uri(url),
        "verification_url": url,
    }


def issued_with_pdf(document: IssuedDocument) -> IssuedDocument:
    if not document.pdf:
        pdf = renderer().render_pdf(
            landlord=document.account.landlord,
            title=issued_title(document),
            content_template=CONTENT_TEMPLATES[document.kind],
            context=issued_context(document),
        )
        _attach_pdf(IssuedDocument, document, issued_filename(document), pdf)
    return document


# --- Public verification -----------------------------------------------------------------


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


# --- The data export ---------------------------------------------------------------------


def stored_documents(account: TenantAccount) -> list[tuple[str, bytes]]:
    """The account's rendered documents, for the tenant's data export (file name, content)."""
    files = []
    for notice in account.rent_notices.exclude(pdf="").select_related("account"):
        with notice.pdf.open("rb") as pdf:
            files.append((notice_filename(notice), pdf.read()))
    for document in account.issued_documents.exclude(pdf="").select_related("account"):
        name = issued_filename(document)
        if document.kind != IssuedDocument.Kind.QUITTANCE:  # several a month or a day
            name = name.replace(".pdf", f"-{document.reference}.pdf")
        with document.pdf.open("rb") as pdf:
            files.append((name, pdf.read()))
    return files
