"""Background delivery of emails, SMS and Web Push messages, retried with a bounded backoff.

`manage.py db_worker` runs these tasks. Logs name a message by its subject and its
recipient's email domain or last two digits only: bodies hold links and codes.
"""

import json
import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from core import phones
from notifications.models import PushSubscription
from notifications.sms_backends import SmsError, TransientSmsError, get_sms_backend

logger = logging.getLogger(__name__)

# Waits before attempts 2 to 5. A mail server restart or a provider incident is
# usually over within the hour; past that, someone has to look.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class DeliveryFailed(Exception):
    """A message was given up on. The text names it without its content."""


@task()
def deliver_email(*, attempt: int = 1, **message) -> None:
    """Send an email serialised by notifications.emails.queue_email."""
    email = EmailMultiAlternatives(**message)
    try:
        get_connection().send_messages([email])
    except Exception as error:
        recipients = ", ".join(_email_for_log(address) for address in email.recipients())
        _retry_or_give_up(
            deliver_email,
            message,
            attempt,
            what=f"Email {email.subject!r} to {recipients}",
            reason=_smtp_failure_reason(error),
            transient=_smtp_failure_is_transient(error),
        )


# Sign-up codes expire within minutes: they go before any bulk email.
@task(priority=10)
def deliver_sms(to: str, text: str, sender: str, attempt: int = 1) -> str | None:
    """Send an SMS queued by notifications.sms.send_sms; returns the provider's id."""
    try:
        return get_sms_backend().send(to, text, sender)
    except SmsError as error:
        _retry_or_give_up(
            deliver_sms,
            {"to": to, "text": text, "sender": sender},
            attempt,
            what=f"SMS to {phones.for_log(to)}",
            reason=str(error),
            transient=isinstance(error, TransientSmsError),
        )
        return None


def _retry_or_give_up(
    delivery: Task,
    kwargs: dict,
    attempt: int,
    *,
    what: str,
    reason: str,
    transient: bool,
    delays: tuple[timedelta, ...] = RETRY_DELAYS,
) -> None:
    """Queue the next attempt after its delay, or log and raise DeliveryFailed."""
    max_attempts = len(delays) + 1
    if not transient:
        verdict = "permanent failure"
    elif attempt >= max_attempts:
        verdict = "no attempt left"
    elif not delivery.get_backend().supports_defer:
        verdict = "this task backend cannot schedule a retry"
    else:
        run_after = timezone.now() + delays[attempt - 1]
        delivery.using(run_after=run_after).enqueue(**kwargs, attempt=attempt + 1)
        logger.warning(
            "%s failed on attempt %d of %d (%s); next attempt after %s",
            what,
            attempt,
            max_attempts,
            reason,
            run_after.isoformat(),
        )
        return
    logger.error(
        "%s failed on attempt %d of %d (%s); giving up: %s",
        what,
        attempt,
        max_attempts,
        reason,
        verdict,
    )
    # "from None": the original traceback may quote the recipient's full address.
    raise DeliveryFailed(f"{what}: {reason}") from None


# A push service that is down keeps its messages waiting for the whole day a message
# lives (PUSH_TTL): the last attempt is a day after the first.
PUSH_RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
# How long the push service keeps a message for a device that is offline (RFC 8030 TTL).
PUSH_TTL_SECONDS = 24 * 3600
# The push service answers these for a subscription that no longer exists (RFC 8030 §7.3).
PUSH_GONE = (404, 410)


@task()
def deliver_push(subscription_id: int, message: dict, attempt: int = 1) -> str:
    """Send one Web Push message (RFC 8030, payload encrypted per RFC 8291, VAPID per
    RFC 8292) to one device; a subscription the push service says is gone is deleted."""
    import requests
    from pywebpush import WebPushException, webpush

    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return "no subscription"  # turned off meanwhile
    host = urlsplit(subscription.endpoint).hostname or "?"
    what = f"Push {message.get('tag', '')!r} to subscription {subscription_id} at {host}"
    status = None
    try:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message, ensure_ascii=False),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            content_encoding="aes128gcm",
            ttl=PUSH_TTL_SECONDS,
            timeout=10,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        reason = f"HTTP {status}" if status else type(error).__name__
    except requests.RequestException as error:
        reason = type(error).__name__
    else:
        PushSubscription.objects.filter(pk=subscription_id).update(last_sent_at=timezone.now())
        return "sent"
    if status in PUSH_GONE:
        subscription.delete()
        logger.info("%s: the push service says it is gone (%s); removed", what, status)
        return "removed"
    _retry_or_give_up(
        deliver_push,
        {"subscription_id": subscription_id, "message": message},
        attempt,
        what=what,
        reason=reason,
        # Overloaded (429) or broken (5xx) or unreachable: later. Refused (4xx): never.
        transient=status is None or status == 429 or status >= 500,
        delays=PUSH_RETRY_DELAYS,
    )
    return "retry"


def _smtp_failure_is_transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    # Server unreachable, too slow or gone mid-way: it may be back in a minute.
    return isinstance(error, OSError)


def _smtp_failure_reason(error: Exception) -> str:
    # Only the reply codes: servers' messages often quote the recipient's address.
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted(code for code, _message in error.recipients.values())
        return f"{type(error).__name__} {codes}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _email_for_log(address: str) -> str:
    """ "jean.dupond@exemple.fr" → "***@exemple.fr"."""
    _name, at, domain = address.rpartition("@")
    return f"***@{domain}" if at else "***"
