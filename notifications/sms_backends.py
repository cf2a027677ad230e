"""SMS backends: a small interface, Brevo for production, the outbox for the demo.

settings.SMS_BACKEND names the one notifications.tasks.deliver_sms calls; callers never
use a backend directly, they queue with notifications.sms.send_sms.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.outbox import write_to_outbox

# Imported when an SMS goes out, not by every web worker that starts.
if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The SMS was not accepted. The text never holds the message or the full number."""


class TransientSmsError(SmsError):
    """Worth trying again later: provider down, overloaded or too slow."""


class PermanentSmsError(SmsError):
    """Trying again would fail the same way: bad number, bad sender, refused API key."""


class SmsBackend(ABC):
    @abstractmethod
    def send(self, to: str, text: str, sender: str) -> str:
        """Send `text` to `to` (E.164, e.g. "+33612345661"); returns the provider's message id."""


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()


class OutboxSmsBackend(SmsBackend):
    """The demo's and the tests' backend: each SMS becomes a file of the outbox."""

    def send(self, to: str, text: str, sender: str) -> str:
        return write_to_outbox({"kind": "sms", "to": to, "text": text, "sender": sender})


# Brevo's rule for the sender: up to 11 letters and digits, or a number of up to 15 digits.
SENDER_PATTERN = re.compile(r"[A-Za-z0-9]{1,11}|[0-9]{1,15}")
SEND_PATH = "/v3/transactionalSMS/send"


class BrevoSmsBackend(SmsBackend):
    """Brevo's transactional SMS API (POST /v3/transactionalSMS/send).

    Reference: https://developers.brevo.com/docs/transactional-sms-endpoints
    """

    def __init__(self, timeout: float = 10):
        self.timeout = timeout

    def send(self, to: str, text: str, sender: str) -> str:
        import requests

        self._check_configuration(sender)
        try:
            response = requests.post(
                settings.BREVO_API_URL.rstrip("/") + SEND_PATH,
                headers={"api-key": settings.BREVO_API_KEY, "accept": "application/json"},
                json={
                    "sender": sender,
                    # Brevo documents the number with its country code and no "+".
                    "recipient": to.removeprefix("+"),
                    "content": text,
                    "type": "transactional",
                },
                timeout=self.timeout,
            )
        except requests.Timeout as error:
            # Brevo may have sent it anyway: a second code is better than none.
            raise TransientSmsError("Brevo did not answer in time") from error
        except requests.ConnectionError as error:
            raise TransientSmsError("Brevo could not be reached") from error
        _raise_for_refusal(response)
        return str(response.json()["messageId"])

    @staticmethod
    def _check_configuration(sender: str) -> None:
        if not settings.BREVO_API_KEY:
            raise PermanentSmsError("BREVO_API_KEY is not set")
        if not SENDER_PATTERN.fullmatch(sender):
            raise PermanentSmsError(
                f"SMS sender {sender!r} refused: up to 11 letters and digits, or 15 digits"
            )


def _raise_for_refusal(response: requests.Response) -> None:
    status = response.status_code
    if status < 400:
        return
    # Only Brevo's error code: its message may quote the number.
    reason = f"Brevo answered HTTP {status} ({_error_code(response)})"
    if status >= 500 or status == 429:
        raise TransientSmsError(reason)
    if status == 401:
        logger.error("Brevo refused the API key: check BREVO_API_KEY")
    raise PermanentSmsError(reason)


def _error_code(response: requests.Response) -> str:
    try:
        return str(response.json()["code"])
    except (ValueError, KeyError, TypeError):
        return "no error code"
