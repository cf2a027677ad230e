"""The attestation de loyer à jour: issued only when the account has no arrears."""

import datetime

from billing import statement
from billing.money import format_euros
from documents.facts import DocumentUnavailable, parties, today
from documents.issued import issue_document
from documents.models import IssuedDocument
from tenancies.models import TenantAccount


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
    return issue_document(account, IssuedDocument.Kind.CERTIFICATE, None, facts)
