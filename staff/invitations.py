"""Staff accounts: invited by email by the landlord's administrator, nothing else.

The link is single use, expires after STAFF_INVITATION_SECONDS, and opens only on the
espace agence host of the landlord that sent it. Only a hash of its token is kept.
"""

import datetime
import hmac
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

import audit
from notifications.emails import send_templated_email
from staff.models import StaffInvitation, StaffMember
from staff.roles import Role

# Staff reach every tenant of their scope: a longer password than the tenants' floor.
STAFF_PASSWORD_MIN_LENGTH = 12


class InvitationError(ValueError):
    """Why an invitation cannot be sent, in French."""


def _token_hash(token: str) -> str:
    return salted_hmac("staff.invitation", token, algorithm="sha256").hexdigest()


@transaction.atomic
def invite(request, *, email, first_name, last_name, role, agencies) -> StaffInvitation:
    """Send an invitation from the administrator on this landlord's espace agence."""
    landlord = request.landlord
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise InvitationError(
            "Cette adresse a déjà un compte sur la plateforme : invitez une adresse "
            "professionnelle propre à l'espace agence."
        )
    agencies = list(agencies)
    if any(agency.landlord_id != landlord.pk for agency in agencies):
        raise InvitationError("Choisissez des agences de ce bailleur.")
    if role == Role.AGENT and not agencies:
        raise InvitationError("Choisissez au moins une agence pour un agent d'agence.")
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        landlord=landlord,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        token_hash=_token_hash(token),
        invited_by=request.user,
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.STAFF_INVITATION_SECONDS),
    )
    invitation.agencies.set(agencies if role == Role.AGENT else [])
    link = request.build_absolute_uri(reverse("backoffice:accept_invitation", args=[token]))
    send_templated_email(
        landlord=landlord,
        to=email,
        template="staff/invitation",
        context={
            "invitation": invitation,
            "link": link,
            "hours": settings.STAFF_INVITATION_SECONDS // 3600,
        },
    )
    audit.record(
        "staff.invited",
        request=request,
        target=invitation,
        detail={"email": email, "role": role},
    )
    return invitation


def valid_invitation(request, token: str) -> StaffInvitation | None:
    """The unused, unexpired invitation of this host's landlord with this token, or None."""
    wanted = _token_hash(token)
    invitation = (
        StaffInvitation.objects.filter(
            landlord=request.landlord,
            token_hash=wanted,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("landlord")
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, wanted):
        return None
    return invitation


def check_password(password: str, invitation: StaffInvitation) -> None:
    if len(password) < STAFF_PASSWORD_MIN_LENGTH:
        raise ValidationError(
            f"Choisissez un mot de passe d'au moins {STAFF_PASSWORD_MIN_LENGTH} caractères."
        )
    user = get_user_model()(
        email=invitation.email, first_name=invitation.first_name, last_name=invitation.last_name
    )
    password_validation.validate_password(password, user)


def accept(request, token: str, password: str):
    """Create the staff member's login; the invitation is spent. None if no longer valid."""
    with transaction.atomic():
        invitation = valid_invitation(request, token)
        if invitation is None:
            return None
        invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            return None
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        user = get_user_model().objects.create_user(
            invitation.email,
            password,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        # The link came to this address: it is verified.
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        member = StaffMember.objects.create(
            user=user, landlord=invitation.landlord, role=invitation.role
        )
        member.agencies.set(invitation.agencies.all())
        audit.record(
            "staff.invitation_accepted",
            request=request,
            actor=user,
            actor_kind="staff",
            target=member,
            detail={"role": invitation.role},
        )
    return user


@transaction.atomic
def deactivate(request, member: StaffMember) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])
    audit.record(
        "staff.deactivated",
        request=request,
        subject_user=member.user,
        target=member,
        detail={"role": member.role},
    )
