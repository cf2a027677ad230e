"""One-time codes: how they are hashed, and the 6-digit SMS codes, issued and consumed.

Two journeys send SMS codes: the sign-up and the password reset (to a signatory's mobile
on file, `PhoneCode`) and "Mes infos" (to a new mobile, `MobileChange`). Both are an
`SmsCode` (accounts/models.py) and go through `issue` and `consume`, with the same
lifetime, limits and French messages. Activation letters' codes are hashed the same way.
"""

import datetime
import hmac
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import SmsCode
from notifications.sms import send_sms

LIFETIME = datetime.timedelta(minutes=10)
MAX_FAILURES = 5
PER_HOUR = 5

TOO_MANY_CODES = (
    "Vous avez demandé trop de codes en une heure. Réessayez plus tard ou contactez votre agence."
)
NO_LONGER_VALID = "Ce code n'est plus valable. Demandez un nouveau code."
EXPIRED = "Ce code a expiré (il est valable 10 minutes). Demandez un nouveau code."
TOO_MANY_FAILURES = (
    "Code incorrect, saisi trop de fois : ce code n'est plus valable. Demandez un nouveau code."
)
WARNING = "Il expire dans 10 minutes. Ne le communiquez à personne."


def wrong_code(left: int) -> str:
    return f"Code incorrect. Il vous reste {left} essai{'s' if left > 1 else ''}."


class TooManyCodes(Exception):
    """The hourly number of SMS codes for this person is used up."""


def hash_code(code: str) -> str:
    normalized = code.replace("-", "").replace(" ", "").upper()
    return salted_hmac("accounts.code", normalized, algorithm="sha256").hexdigest()


def codes_match(code: str, code_hash: str) -> bool:
    return hmac.compare_digest(hash_code(code), code_hash)


Code = TypeVar("Code", bound=SmsCode)


@transaction.atomic
def issue(
    codes: "models.Manager[Code]", *, to: str, text: Callable[[str], str], **fields: Any
) -> None:
    """Send a new code by SMS to `to`, replacing any earlier one of `codes` (the person's
    codes: `signatory.phone_codes`, `user.mobile_changes`). `text(code)` is the SMS.

    Raises TooManyCodes past PER_HOUR codes in an hour.
    """
    now = timezone.now()
    if codes.filter(created_at__gte=now - datetime.timedelta(hours=1)).count() >= PER_HOUR:
        raise TooManyCodes
    codes.filter(used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    codes.create(code_hash=hash_code(code), created_at=now, expires_at=now + LIFETIME, **fields)
    send_sms(to=to, text=text(code))


def pending(codes: "models.Manager[Code]") -> Code | None:
    """The latest code not yet used, expired or not."""
    return codes.filter(used_at__isnull=True).order_by("-created_at").first()


@transaction.atomic
def consume(codes: "models.Manager[Code]", typed: str) -> Code | str:
    """The latest code of `codes`, used up, if `typed` is it; else what to tell, in French.

    (No exception: the count of failed attempts must be saved, not rolled back.) A code
    allows MAX_FAILURES wrong tries, then is used up.
    """
    now = timezone.now()
    code = codes.select_for_update().filter(used_at__isnull=True).order_by("-created_at").first()
    if code is None:
        return NO_LONGER_VALID
    if code.expires_at <= now:
        code.used_at = now
        code.save(update_fields=["used_at"])
        return EXPIRED
    if codes_match(typed, code.code_hash):
        code.used_at = now
        code.save(update_fields=["used_at"])
        return code
    code.failed_attempts += 1
    left = MAX_FAILURES - code.failed_attempts
    if left <= 0:
        code.used_at = now
    code.save(update_fields=["failed_attempts", "used_at"])
    return TOO_MANY_FAILURES if left <= 0 else wrong_code(left)
