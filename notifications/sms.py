"""Sending SMS: callers use send_sms(), which queues the task notifications.tasks.deliver_sms.

The task calls the backend named by settings.SMS_BACKEND (notifications/sms_backends.py)
and retries transient failures.
"""

from django.conf import settings

# The backends' former home: an SMS_BACKEND setting that names them here still works.
from notifications.sms_backends import BrevoSmsBackend as BrevoSmsBackend
from notifications.sms_backends import OutboxSmsBackend as OutboxSmsBackend
from notifications.tasks import deliver_sms


def send_sms(*, to: str, text: str, sender: str | None = None) -> None:
    """Queue an SMS; inside a transaction, it is sent only if the transaction commits."""
    deliver_sms.enqueue(to=to, text=text, sender=sender or settings.SMS_SENDER)
