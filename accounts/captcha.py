"""The anti-robot check (ALTCHA proof of work): calibrated, and asked once per journey.

The browser starts the proof of work when the page loads (`auto="onload"`). Once a
form has accepted a solution, the session remembers it for this landlord, so the next
steps of the same sign-up (or the same password reset), and the same page shown again
after an error in another field, do not ask for it again.

MAX_NUMBER is the difficulty: the browser tries up to that many SHA-256 hashes (half of
it on average). `python -m bench.altcha` measures it on a CPU slowed down 6x, as on a
low-end phone; the figures are in docs/security.md.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django_altcha import AltchaField

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest

    from landlords.models import Landlord

MAX_NUMBER = 20_000

# One solution counts for a whole journey, not forever.
SOLVED_FOR_SECONDS = 30 * 60

SESSION_KEY = "captcha_solved"

SIGNUP = "signup"
RESET = "reset"


def field() -> AltchaField:
    return AltchaField(
        label="Vérification anti-robot",
        auto="onload",
        maxnumber=MAX_NUMBER,
        language="fr",
        hidelogo=True,
        hidefooter=True,
        error_messages={
            "required": "La vérification anti-robot n'a pas abouti : patientez quelques "
            "secondes puis validez à nouveau.",
            "invalid": "La vérification anti-robot a échoué : rechargez la page puis réessayez.",
            "replay": "La vérification anti-robot a expiré : rechargez la page puis réessayez.",
            "error": "La vérification anti-robot a échoué : rechargez la page puis réessayez.",
        },
    )


def is_solved(request: HttpRequest, landlord: Landlord, journey: str) -> bool:
    solved = request.session.get(SESSION_KEY, {}).get(journey)
    return bool(
        solved
        and solved["landlord"] == landlord.pk
        and time.time() - solved["at"] < SOLVED_FOR_SECONDS
    )


def needed(request: HttpRequest, landlord: Landlord | None, journey: str) -> bool:
    return bool(landlord and landlord.captcha_enabled and not is_solved(request, landlord, journey))


def mark_solved(request: HttpRequest, landlord: Landlord, journey: str) -> None:
    solved = dict(request.session.get(SESSION_KEY, {}))
    solved[journey] = {"landlord": landlord.pk, "at": time.time()}
    request.session[SESSION_KEY] = solved


def forget(request: HttpRequest, journey: str) -> None:
    """The journey is over: the next one asks again."""
    solved = dict(request.session.get(SESSION_KEY, {}))
    if solved.pop(journey, None) is not None:
        request.session[SESSION_KEY] = solved


def keep_if_solved(
    request: HttpRequest, landlord: Landlord | None, journey: str, form: forms.Form
) -> None:
    """After validation: a solution the form accepted counts for the rest of the journey,
    whatever the other fields' errors, and the form shown again no longer asks for it."""
    if landlord is None or "captcha" not in form.fields:
        return
    if "captcha" in getattr(form, "cleaned_data", {}):
        mark_solved(request, landlord, journey)
        del form.fields["captcha"]
