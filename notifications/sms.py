"""Sending SMS: callers use send_sms(), which queues the task notifications.tasks.deliver_sms.

The task calls the backend named by settings.SMS_BACKEND (notifications/sms_backends.py)
and retries transient failures.
"""

from django.conf import settings

from notifications.tasks import deliver_sms


def send_sms(*, to: str, text: str, sender: str | None = None) -> None:
    """Queue an SMS; inside a transaction, it is sent only if the transaction commits."""
    deliver_sms.enqueue(to=to, text=text, sender=sender or settings.SMS_SENDER)
