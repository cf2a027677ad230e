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

This module is the import surface of the documents; each topic has its own module:
facts.py (what every document states), notices.py, receipts.py, certificates.py,
issued.py (references, titles, PDFs of issued documents), verification.py, stored.py.
"""

from documents.certificates import certificate_refusal, existing_certificate, issue_certificate
from documents.facts import (
    DATE_KEYS,
    DocumentUnavailable,
    for_template,
    month_name,
    of_month,
    parties,
    store_file,
    today,
)
from documents.issued import (
    CONTENT_TEMPLATES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    display_reference,
    document_title,
    issued_context,
    issued_filename,
    issued_title,
    issued_with_pdf,
    reference_digest,
    verification_url,
)
from documents.listing import NoticeRow, ReceiptRow, document_list, receipt_kind
from documents.notices import (
    NoticeNotYetAvailable,
    current_notice,
    money_labels,
    new_notice,
    notice_doc,
    notice_facts,
    notice_filename,
    notice_for,
    notice_pdf_url,
    notice_periods,
    notice_title,
    notice_with_pdf,
    replacing_closing,
    save_notice_pdf,
    save_notice_pdfs,
    states_the_ledger,
)
from documents.receipts import (
    MonthReceipt,
    existing_receipt,
    issue_receipt,
    month_receipts,
    receipt_fingerprint,
)
from documents.stored import stored_documents
from documents.verification import (
    VERIFY_FREE_FAILURES,
    VERIFY_THROTTLE_SCOPE,
    Verification,
    find_document,
    masked_account_number,
    normalize_reference,
    public_facts,
    verify,
)
from documents.versions import record_download

__all__ = [
    "CONTENT_TEMPLATES",
    "DATE_KEYS",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "VERIFY_FREE_FAILURES",
    "VERIFY_THROTTLE_SCOPE",
    "DocumentUnavailable",
    "MonthReceipt",
    "NoticeNotYetAvailable",
    "NoticeRow",
    "ReceiptRow",
    "Verification",
    "certificate_refusal",
    "current_notice",
    "display_reference",
    "document_list",
    "document_title",
    "existing_certificate",
    "existing_receipt",
    "find_document",
    "for_template",
    "issue_certificate",
    "issue_receipt",
    "issued_context",
    "issued_filename",
    "issued_title",
    "issued_with_pdf",
    "masked_account_number",
    "money_labels",
    "month_name",
    "month_receipts",
    "new_notice",
    "normalize_reference",
    "notice_doc",
    "notice_facts",
    "notice_filename",
    "notice_for",
    "notice_pdf_url",
    "notice_periods",
    "notice_title",
    "notice_with_pdf",
    "of_month",
    "parties",
    "public_facts",
    "receipt_fingerprint",
    "receipt_kind",
    "record_download",
    "reference_digest",
    "replacing_closing",
    "save_notice_pdf",
    "save_notice_pdfs",
    "states_the_ledger",
    "store_file",
    "stored_documents",
    "today",
    "verification_url",
    "verify",
]
