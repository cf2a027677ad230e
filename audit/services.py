"""The one way to write the journal: rule functions call `record`, views never do."""

from typing import Any

from django.db.models import Model

from audit.actions import ACTIONS
from audit.models import AuditEvent
from core.client import UNKNOWN, client_ip

# No key of `detail` may carry a secret: the journal is read and exported by staff.
FORBIDDEN_DETAIL_WORDS = ("password", "code", "token", "secret", "key", "otp")


def record(
    action: str,
    *,
    request: Any = None,
    landlord: Any = None,
    actor: Any = None,
    actor_kind: str | None = None,
    account: Any = None,
    subject_user: Any = None,
    target: Model | None = None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one journal row. The landlord, the actor and the address come from the
    request when there is one; staff are the actors on the espace agence host."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to audit/actions.py")
    detail = detail or {}
    for key in detail:
        if any(word in key.lower() for word in FORBIDDEN_DETAIL_WORDS):
            raise ValueError(f"Audit detail key {key!r} looks like a secret")
    ip = None
    if request is not None:
        landlord = landlord or getattr(request, "landlord", None)
        user = getattr(request, "user", None)
        if actor is None and user is not None and user.is_authenticated:
            actor = user
        # The address our own proxies saw (TRUSTED_PROXY_COUNT), as throttling reads it.
        address = client_ip(request)
        ip = None if address == UNKNOWN else address
    if actor_kind is None:
        if actor is None:
            actor_kind = AuditEvent.ActorKind.SYSTEM
        elif getattr(request, "is_backoffice", False):
            actor_kind = AuditEvent.ActorKind.STAFF
        else:
            actor_kind = AuditEvent.ActorKind.TENANT
    if account is not None and landlord is None:
        landlord = account.landlord
    return AuditEvent.objects.create(
        landlord=landlord,
        actor=actor,
        actor_kind=actor_kind,
        action=action,
        account=account,
        subject_user=subject_user,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        reason=reason,
        detail=detail,
        ip=ip,
    )
