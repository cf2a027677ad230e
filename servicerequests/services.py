"""The rules of a request's life. Every state change goes through `change_status`, which
writes the timeline and the journal (audit.record) and emails the tenant.

    envoyée → prise en charge → intervention prévue (with a date) → résolue → clôturée

Staff may skip steps forward (an answer can resolve at once) and close from any state;
the tenant may reopen a resolved request within REOPEN_WITHIN ("mon problème n'est pas
résolu"), which takes it back to "prise en charge". Nothing moves out of "clôturée".
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import audit
from notifications import push
from notifications.emails import send_templated_email
from servicerequests.files import CheckedFile
from servicerequests.models import (
    Attachment,
    Message,
    RequestCategory,
    ServiceRequest,
    Source,
    Status,
    StatusChange,
)

REOPEN_WITHIN = datetime.timedelta(days=15)
ORDER = [Status.SENT, Status.TAKEN, Status.PLANNED, Status.RESOLVED, Status.CLOSED]

# Where staff (or the ERP) may take a request from each state.
STAFF_TRANSITIONS = {
    Status.SENT: {Status.TAKEN, Status.PLANNED, Status.RESOLVED, Status.CLOSED},
    Status.TAKEN: {Status.PLANNED, Status.RESOLVED, Status.CLOSED},
    Status.PLANNED: {Status.PLANNED, Status.TAKEN, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.TAKEN, Status.CLOSED},
    Status.CLOSED: set(),
}

CLOSED_MESSAGE = "Cette demande est clôturée : elle ne peut plus recevoir de message."
EMPTY_MESSAGE = "Écrivez votre message."


def create_request(
    *,
    account,
    author,
    category: RequestCategory,
    description: str,
    location: str = "",
    availability: str = "",
    files: Sequence[CheckedFile] = (),
    http_request=None,
) -> ServiceRequest:
    """A new request, its first step and its files, in one transaction."""
    if category.landlord_id != account.landlord_id or not category.is_active:
        raise ValidationError("Cette catégorie n'existe pas.")
    description = description.strip()
    if not description:
        raise ValidationError("Décrivez votre demande.")
    now = timezone.now()
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            account=account,
            author=author,
            category=category,
            description=description,
            location=location.strip(),
            availability=availability.strip(),
            created_at=now,
            updated_at=now,
            due_at=now + category.response_time,
        )
        StatusChange.objects.create(
            request=request, status=Status.SENT, actor=author, source=Source.TENANT, at=now
        )
        _attach(request, None, files)
        audit.record(
            "request.created",
            request=http_request,
            actor=author,
            account=account,
            target=request,
            detail={"categorie": category.name, "fichiers": len(files)},
        )
    return request


def change_status(
    request: ServiceRequest,
    status: str,
    *,
    actor=None,
    source: str = Source.STAFF,
    intervention_date: datetime.date | None = None,
    reopened: bool = False,
    http_request=None,
) -> bool:
    """Move `request` to `status`; False when it already is there (the ERP's updates are
    idempotent: the same update twice changes nothing)."""
    status = Status(status)
    if status == Status.PLANNED and intervention_date is None:
        raise ValidationError("Indiquez la date de l'intervention.")
    if status != Status.PLANNED:
        intervention_date = None
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == status and request.intervention_date == intervention_date:
            return False
        if not reopened and status not in STAFF_TRANSITIONS[Status(request.status)]:
            raise ValidationError(
                f"Une demande « {request.get_status_display()} » ne peut pas passer "
                f"à « {status.label} »."
            )
        now = timezone.now()
        previous = request.status
        request.status = status
        request.intervention_date = intervention_date
        request.updated_at = now
        if status == Status.RESOLVED:
            request.resolved_at = now
        if source != Source.TENANT and request.answered_at is None:
            request.answered_at = now
        request.save()
        StatusChange.objects.create(
            request=request,
            status=status,
            intervention_date=intervention_date,
            reopened=reopened,
            actor=actor,
            source=source,
            at=now,
        )
        audit.record(
            "request.reopened" if reopened else "request.status_changed",
            request=http_request,
            actor=actor,
            account=request.account,
            landlord=request.account.landlord,
            target=request,
            detail={
                "avant": previous,
                "apres": status.value,
                "origine": source,
                **({"intervention": intervention_date} if intervention_date else {}),
            },
        )
        if not reopened:
            _notify(request, "status")
    return True


def can_reopen(request: ServiceRequest, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        request.status == Status.RESOLVED
        and request.resolved_at is not None
        and now - request.resolved_at <= REOPEN_WITHIN
    )


def reopen(request: ServiceRequest, *, actor, http_request=None) -> None:
    """ "Mon problème n'est pas résolu": back to "prise en charge" within 15 days."""
    if not can_reopen(request):
        raise ValidationError(
            "Cette demande ne peut plus être rouverte : déposez une nouvelle demande."
        )
    change_status(
        request,
        Status.TAKEN,
        actor=actor,
        source=Source.TENANT,
        reopened=True,
        http_request=http_request,
    )


def can_rate(request: ServiceRequest) -> bool:
    return request.status in (Status.RESOLVED, Status.CLOSED) and request.rating is None


def rate(request: ServiceRequest, *, actor, rating: int, comment: str = "", http_request=None):
    if not can_rate(request):
        raise ValidationError("Cette demande ne peut pas être notée.")
    if rating not in range(1, 6):
        raise ValidationError("Choisissez une note de 1 à 5.")
    with transaction.atomic():
        request.rating = rating
        request.rating_comment = comment.strip()
        request.updated_at = timezone.now()
        request.save(update_fields=["rating", "rating_comment", "updated_at"])
        audit.record(
            "request.rated",
            request=http_request,
            actor=actor,
            account=request.account,
            target=request,
            detail={"note": rating},
        )


def post_message(
    request: ServiceRequest,
    *,
    author,
    body: str,
    files: Sequence[CheckedFile] = (),
    from_staff: bool = False,
    internal: bool = False,
    http_request=None,
) -> Message:
    """A message of the thread (or a staff note when `internal`)."""
    body = body.strip()
    if not body:
        raise ValidationError(EMPTY_MESSAGE)
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == Status.CLOSED and not internal:
            raise ValidationError(CLOSED_MESSAGE)
        now = timezone.now()
        message = Message.objects.create(
            request=request,
            author=author,
            from_staff=from_staff,
            internal=internal,
            body=body,
            created_at=now,
        )
        _attach(request, message, files)
        request.updated_at = now
        if from_staff and not internal and request.answered_at is None:
            request.answered_at = now
        request.save(update_fields=["updated_at", "answered_at"])
        audit.record(
            "request.note_added" if internal else "request.message_posted",
            request=http_request,
            actor=author,
            account=request.account,
            landlord=request.account.landlord,
            target=request,
            detail={"fichiers": len(files), "agence": from_staff},
        )
        if from_staff and not internal:
            _notify(request, "answer")
    return message


def assign(request: ServiceRequest, *, staff_user, actor, http_request=None) -> None:
    with transaction.atomic():
        request.assigned_to = staff_user
        request.updated_at = timezone.now()
        request.save(update_fields=["assigned_to", "updated_at"])
        audit.record(
            "request.assigned",
            request=http_request,
            actor=actor,
            account=request.account,
            target=request,
            detail={"suivie_par": staff_user.email if staff_user else ""},
        )


def _attach(request, message, files) -> None:
    for checked in files:
        attachment = Attachment(
            request=request,
            message=message,
            name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )
        attachment.file.save(checked.name, checked.content, save=False)
        attachment.save()


def _notify(request: ServiceRequest, what: str) -> None:
    """Email the tenant who wrote the request, in the landlord's name (a queued task)."""
    push.request_updated(request, what)
    author = request.author
    if author is None or not author.email:
        return
    landlord = request.account.landlord
    # Also sent from the espace agence and the API: the link is the tenants' portal's.
    path = reverse("request_detail", args=[request.public_id], urlconf=settings.ROOT_URLCONF)
    send_templated_email(
        landlord=landlord,
        to=author.email,
        template="servicerequests/update",
        context={
            "request": request,
            "what": what,
            "url": landlord.public_url(path),
        },
    )


def save_category(form, *, actor, http_request=None) -> RequestCategory:
    """A landlord's category created or changed by its administrator (a validated ModelForm)."""
    with transaction.atomic():
        category = form.save()
        audit.record(
            "request.categories_changed",
            request=http_request,
            actor=actor,
            landlord=category.landlord,
            target=category,
            detail={"categorie": category.name, "champs": sorted(form.changed_data)},
        )
    return category


def set_erp_reference(request: ServiceRequest, reference: str) -> None:
    """The ERP's own number for the request, sent with its updates (no change if the same)."""
    if request.erp_reference != reference:
        ServiceRequest.objects.filter(pk=request.pk).update(erp_reference=reference[:64])


def save_saved_reply(form, *, actor, http_request=None):
    """A landlord's saved reply created or changed by its administrator (a validated form)."""
    with transaction.atomic():
        reply = form.save()
        audit.record(
            "request.saved_replies_changed",
            request=http_request,
            actor=actor,
            landlord=reply.landlord,
            target=reply,
            detail={"titre": reply.title, "champs": sorted(form.changed_data)},
        )
    return reply
