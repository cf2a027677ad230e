"""Background delivery of emails and SMS, retried with a bounded backoff.

`manage.py db_worker` runs these tasks. Logs name a message by its subject and its
recipient's email domain or last two digits only: bodies hold links and codes.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from core import phones
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
    delivery: Task, kwargs: dict, attempt: int, *, what: str, reason: str, transient: bool
) -> None:
    """Queue the next attempt after its delay, or log and raise DeliveryFailed."""
    if not transient:
        verdict = "permanent failure"
    elif attempt >= MAX_ATTEMPTS:
        verdict = "no attempt left"
    elif not delivery.get_backend().supports_defer:
        verdict = "this task backend cannot schedule a retry"
    else:
        run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
        delivery.using(run_after=run_after).enqueue(**kwargs, attempt=attempt + 1)
        logger.warning(
            "%s failed on attempt %d of %d (%s); next attempt after %s",
            what,
            attempt,
            MAX_ATTEMPTS,
            reason,
            run_after.isoformat(),
        )
        return
    logger.error(
        "%s failed on attempt %d of %d (%s); giving up: %s",
        what,
        attempt,
        MAX_ATTEMPTS,
        reason,
        verdict,
    )
    # "from None": the original traceback may quote the recipient's full address.
    raise DeliveryFailed(f"{what}: {reason}") from None


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
