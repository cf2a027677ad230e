import base64
import html
import json
import re

import altcha
from django.core import mail
from django_altcha import get_altcha_challenge


def solved_captcha() -> str:
    """A genuine ALTCHA proof of work, as the browser widget would send it."""
    challenge = get_altcha_challenge(max_number=10_000)
    solution = altcha.solve_challenge(
        challenge.challenge, challenge.salt, challenge.algorithm, challenge.max_number, 0
    )
    payload = {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "number": solution.number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def last_sms(settings) -> dict:
    files = sorted((settings.OUTBOX_DIR).glob("*.json"))
    messages = [json.loads(f.read_text()) for f in files]
    sms = [m for m in messages if m["kind"] == "sms"]
    assert sms, "no SMS was sent"
    return sms[-1]


def sms_code(settings) -> str:
    return re.search(r"\b(\d{6})\b", last_sms(settings)["text"])[1]


def activation_link(message) -> str:
    return re.search(r"https?://\S+/compte/confirm-email/\S+/", message.body)[0]


def last_email_to(address: str):
    sent = [m for m in mail.outbox if address in m.to]
    assert sent, f"no email to {address}"
    return sent[-1]


def text_of(response) -> str:
    """The page as a person reads it: HTML entities decoded."""
    return html.unescape(response.content.decode())
