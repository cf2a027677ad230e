"""Email backend of the demo: messages land in the outbox instead of a mail server."""

from django.core.mail.backends.base import BaseEmailBackend

from notifications.outbox import write_to_outbox


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            write_to_outbox(
                {
                    "kind": "email",
                    "to": message.recipients(),
                    "subject": message.subject,
                    "text": message.body,
                    "html": _html_alternative(message),
                }
            )
        return len(email_messages)


def _html_alternative(message) -> str:
    alternatives = getattr(message, "alternatives", [])
    return next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
