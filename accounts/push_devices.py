"""Mes infos > Notifications: a tenant turns Web Push on or off per device (docs/app.md).

The browser's subscription (endpoint and keys) is re-checked here: an https endpoint (http
only for a local push service in DEBUG/DEMO/tests, PUSH_ALLOW_HTTP_ENDPOINTS), keys of the
right sizes. Each change writes a journal row.
"""

import base64
import binascii
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

import audit
from accounts.profile import device_name
from notifications import push
from notifications.models import PushSubscription

INVALID_SUBSCRIPTION = "Les notifications n'ont pas pu être activées sur cet appareil."
MAX_DEVICES = 10


def _key_bytes(value: object, size: int) -> str:
    if not isinstance(value, str) or len(value) > 200:
        raise ValidationError(INVALID_SUBSCRIPTION)
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationError(INVALID_SUBSCRIPTION) from None
    if len(raw) != size:
        raise ValidationError(INVALID_SUBSCRIPTION)
    return value


def checked_subscription(data: object) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) of a PushSubscription.toJSON(), or ValidationError."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise ValidationError(INVALID_SUBSCRIPTION)
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        raise ValidationError(INVALID_SUBSCRIPTION)
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if settings.PUSH_ALLOW_HTTP_ENDPOINTS else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError(INVALID_SUBSCRIPTION)
    # An uncompressed P-256 point (65 bytes) and a 16-byte secret (RFC 8291).
    p256dh = _key_bytes(data["keys"].get("p256dh"), 65)
    auth = _key_bytes(data["keys"].get("auth"), 16)
    return endpoint, p256dh, auth


def devices(user, landlord) -> list[PushSubscription]:
    return list(
        PushSubscription.objects.filter(user=user, landlord=landlord).order_by("-created_at")
    )


def subscribe(request, user, landlord, data: object) -> PushSubscription:
    """Turn notifications on for the device that sent `data` (its subscription)."""
    if not push.enabled():
        raise ValidationError("Les notifications ne sont pas disponibles.")
    endpoint, p256dh, auth = checked_subscription(data)
    with transaction.atomic():
        existing = (
            PushSubscription.objects.select_for_update()
            .filter(landlord=landlord, endpoint=endpoint)
            .first()
        )
        if existing is None and len(devices(user, landlord)) >= MAX_DEVICES:
            raise ValidationError(
                f"Les notifications sont déjà activées sur {MAX_DEVICES} appareils : "
                "désactivez-les sur l'un d'eux d'abord."
            )
        subscription = existing or PushSubscription(landlord=landlord, endpoint=endpoint)
        # A browser handed over to someone else: the device now notifies its new user.
        subscription.user = user
        subscription.p256dh = p256dh
        subscription.auth = auth
        subscription.device = device_name(request.META.get("HTTP_USER_AGENT", ""))
        subscription.save()
        audit.record(
            "push.enabled",
            request=request,
            subject_user=user,
            target=subscription,
            detail={"appareil": subscription.device},
        )
    return subscription


def unsubscribe(request, user, landlord, *, endpoint: str = "", device_id: int | None = None):
    """Turn notifications off for one of the user's devices; False if it was not theirs."""
    found = PushSubscription.objects.filter(user=user, landlord=landlord)
    found = found.filter(pk=device_id) if device_id is not None else found.filter(endpoint=endpoint)
    with transaction.atomic():
        subscription = found.select_for_update().first()
        if subscription is None:
            return False
        audit.record(
            "push.disabled",
            request=request,
            subject_user=user,
            target=subscription,
            detail={"appareil": subscription.device},
        )
        subscription.delete()
    return True


def set_preferences(
    request, user, landlord, device_id: int, *, show_amounts: bool, due_reminders: bool
) -> bool:
    with transaction.atomic():
        subscription = (
            PushSubscription.objects.select_for_update()
            .filter(user=user, landlord=landlord, pk=device_id)
            .first()
        )
        if subscription is None:
            return False
        subscription.show_amounts = show_amounts
        subscription.due_reminders = due_reminders
        subscription.save(update_fields=["show_amounts", "due_reminders"])
        audit.record(
            "push.preferences_changed",
            request=request,
            subject_user=user,
            target=subscription,
            detail={"montants": show_amounts, "rappels": due_reminders},
        )
    return True
