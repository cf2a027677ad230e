"""The attestation de loyer à jour: issued only when the account has no arrears."""

import datetime

from billing import statement, vocabulary
from documents.facts import DocumentUnavailable, parties, today
from documents.issued import find_issued, fingerprint, issue_document
from documents.models import IssuedDocument
from tenancies.models import TenantAccount


def certificate_refusal(entries, due_day: int, on: datetime.date) -> str | None:
    """Why the certificate cannot be issued today, in French (billing.vocabulary: the
    overdue amount, and what is owed but not yet due); None when it can."""
    return vocabulary.position(entries, due_day, on).certificate_refusal


def certificate_content(account: TenantAccount) -> tuple[datetime.date, dict]:
    """Today's certificate's facts (DocumentUnavailable with the reason when refused)."""
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
    return on, facts


def existing_certificate(account: TenantAccount) -> IssuedDocument | None:
    """Today's certificate if issued with today's facts (what the GET shows)."""
    on, facts = certificate_content(account)
    period = statement.month_start(on)
    kind = IssuedDocument.Kind.CERTIFICATE
    return find_issued(account, kind, period, fingerprint(kind, period, facts))


def issue_certificate(account: TenantAccount) -> IssuedDocument:
    """Today's certificate (POST); asked again the same day with the same facts, or twice
    at once, the same one."""
    on, facts = certificate_content(account)
    period = statement.month_start(on)  # a certificate's month: the day is in its facts
    kind = IssuedDocument.Kind.CERTIFICATE
    content_fingerprint = fingerprint(kind, period, facts)
    existing = find_issued(account, kind, period, content_fingerprint)
    if existing:
        return existing
    return issue_document(account, kind, period, facts, content_fingerprint)
