"""The home insurance certificate: upload, staff review, reminders, and whether an
account's certificate is up to date.

An account is covered on a day when a certificate of it was accepted and ends on or
after that day. Reminders go to every login of the account 30 days before the end date
of its latest accepted certificate and on that date, each once (the command can run as
often as wanted), and not when a newer certificate was given since.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

import audit
from notifications.emails import send_templated_email
from servicerequests.files import CheckedFile
from servicerequests.models import InsuranceCertificate

REMIND_BEFORE = datetime.timedelta(days=30)
PAST_END_MESSAGE = (
    "La date de fin de validité est déjà passée : envoyez l'attestation de votre contrat en cours."
)
State = InsuranceCertificate.State


def upload(*, account, author, checked: CheckedFile, end_date, http_request=None):
    today = timezone.localdate()
    if end_date < today:
        raise ValidationError(PAST_END_MESSAGE)
    with transaction.atomic():
        certificate = InsuranceCertificate(
            account=account,
            uploaded_by=author,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            end_date=end_date,
        )
        certificate.file.save(checked.name, checked.content, save=False)
        certificate.save()
        audit.record(
            "insurance.uploaded",
            request=http_request,
            actor=author,
            account=account,
            target=certificate,
            detail={"fin": end_date},
        )
    return certificate


def review(certificate, *, accept: bool, reason: str = "", actor, http_request=None):
    """Staff accept the certificate, or refuse it with a reason the tenant reads."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError("Indiquez le motif du refus : le locataire le lira.")
    with transaction.atomic():
        certificate = InsuranceCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.state != State.PENDING:
            raise ValidationError("Cette attestation a déjà été vérifiée.")
        certificate.state = State.ACCEPTED if accept else State.REFUSED
        certificate.refusal_reason = "" if accept else reason
        certificate.reviewed_by = actor
        certificate.reviewed_at = timezone.now()
        certificate.save()
        audit.record(
            "insurance.accepted" if accept else "insurance.refused",
            request=http_request,
            actor=actor,
            account=certificate.account,
            target=certificate,
            reason=reason,
        )
        _email(certificate, "accepted" if accept else "refused")
    return certificate


@dataclass
class Coverage:
    """What the account page says about the certificate."""

    up_to_date: bool
    text: str
    certificate: InsuranceCertificate | None = None


def coverage(account, today: datetime.date | None = None) -> Coverage:
    today = today or timezone.localdate()
    certificates = list(account.insurance_certificates.all()[:10])
    valid = next(
        (c for c in certificates if c.state == State.ACCEPTED and c.end_date >= today), None
    )
    pending = next((c for c in certificates if c.state == State.PENDING), None)
    if valid is not None:
        return Coverage(True, f"à jour jusqu'au {valid.end_date:%d/%m/%Y}", valid)
    if pending is not None:
        return Coverage(False, "en cours de vérification par votre agence", pending)
    if certificates and certificates[0].state == State.REFUSED:
        latest = certificates[0]
        return Coverage(False, f"refusée : {latest.refusal_reason}", latest)
    accepted = next((c for c in certificates if c.state == State.ACCEPTED), None)
    if accepted is not None:
        return Coverage(False, f"expirée depuis le {accepted.end_date:%d/%m/%Y}", accepted)
    return Coverage(False, "aucune attestation reçue")


def valid_certificates(today: datetime.date):
    return InsuranceCertificate.objects.filter(state=State.ACCEPTED, end_date__gte=today)


def accounts_without_valid_certificate(accounts: QuerySet, today: datetime.date | None = None):
    """The accounts with a current dwelling lease and no valid certificate."""
    today = today or timezone.localdate()
    covered = valid_certificates(today).filter(account=OuterRef("pk"))
    return (
        accounts.filter(leases__kind="logement", leases__start_date__lte=today)
        .exclude(leases__end_date__lt=today)
        .exclude(Exists(covered))
        .distinct()
    )


def send_reminders(today: datetime.date | None = None) -> int:
    """Remind 30 days before and on the end date; returns the number of reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    # A newer certificate (pending or accepted) makes the reminder pointless.
    newer = InsuranceCertificate.objects.filter(
        account=OuterRef("account"), created_at__gt=OuterRef("created_at")
    ).exclude(state=State.REFUSED)
    candidates = (
        InsuranceCertificate.objects.filter(state=State.ACCEPTED)
        .exclude(Exists(newer))
        .select_related("account__landlord")
    )
    now = timezone.now()
    for certificate in candidates.filter(
        reminded_before_at__isnull=True, end_date__lte=today + REMIND_BEFORE, end_date__gt=today
    ):
        if _claim(certificate, "reminded_before_at", now):
            _email(certificate, "before")
            sent += 1
    for certificate in candidates.filter(reminded_on_end_at__isnull=True, end_date__lte=today):
        if _claim(certificate, "reminded_on_end_at", now):
            _email(certificate, "end")
            sent += 1
    return sent


def _claim(certificate, field: str, now) -> bool:
    """Mark the reminder sent, once even if two runs overlap."""
    with transaction.atomic():
        claimed = InsuranceCertificate.objects.filter(
            pk=certificate.pk, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if claimed:
            audit.record(
                "insurance.reminded",
                account=certificate.account,
                target=certificate,
                detail={"rappel": field, "fin": certificate.end_date},
            )
        return bool(claimed)


def _email(certificate, what: str) -> None:
    account = certificate.account
    landlord = account.landlord
    path = reverse("insurance", args=[account.pk], urlconf=settings.ROOT_URLCONF)
    users = (
        get_user_model()
        .objects.filter(accesses__signatory__lease__account=account, is_active=True)
        .distinct()
    )
    for user in users:
        if user.email:
            send_templated_email(
                landlord=landlord,
                to=user.email,
                template="servicerequests/insurance",
                context={
                    "certificate": certificate,
                    "what": what,
                    "url": landlord.public_url(path),
                },
            )
