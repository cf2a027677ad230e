"""A Systempay payment page served by the portal itself, for the demo and the tests.

It speaks Lyra's protocol as a real shop would see it, written apart from the portal's own
Systempay adapter (which goes through eopayment) so that each checks the other: it receives
the signed `vads_*` form, refuses a bad signature, asks for a test card (and a 3-D Secure
validation for one of them), sends the signed server-to-server notification (IPN) to
`vads_url_check`, then sends the tenant back to `vads_url_return`.

Only TEST mode; every view answers 404 unless PAYMENT_SANDBOX is true (never in production).
"""

import base64
import datetime
import functools
import hashlib
import hmac
import logging
import secrets
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from django import forms
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.money import format_euros
from core.cache import private_page
from landlords.requests import LandlordRequest
from payments.models import PaymentProvider

View = Callable[..., HttpResponse]

logger = logging.getLogger(__name__)

# The test cards (docs/payments.md), as Lyra's test platform numbers them.
ACCEPTED, REFUSED, CHALLENGE = "accepted", "refused", "challenge"
TEST_CARDS = {
    "4970100000000003": ACCEPTED,
    "4970100000000014": REFUSED,
    "4970100000000055": CHALLENGE,
}
ORDER_SIGNING_SALT = "payments.sandbox"
# Lyra's page gives up on an unfinished payment after 10 minutes (30 with retries).
PAGE_LIFETIME_SECONDS = 30 * 60
REQUIRED_FIELDS = (
    "vads_site_id",
    "vads_ctx_mode",
    "vads_trans_id",
    "vads_trans_date",
    "vads_amount",
    "vads_currency",
    "vads_action_mode",
    "vads_page_action",
    "vads_payment_config",
    "vads_version",
    "signature",
)
# What a shop's form sends that Lyra sends back in the IPN.
ECHOED_FIELDS = (
    "vads_action_mode",
    "vads_amount",
    "vads_ctx_mode",
    "vads_currency",
    "vads_cust_email",
    "vads_order_id",
    "vads_page_action",
    "vads_payment_config",
    "vads_site_id",
    "vads_trans_date",
    "vads_trans_id",
    "vads_version",
)


def lyra_signature(fields: dict[str, str], key: str) -> str:
    """Lyra's HMAC-SHA-256 signature: the vads_* values sorted by field name, joined with
    "+", then "+" and the key; HMAC-SHA-256 keyed with the key; base64."""
    values = [fields[name] for name in sorted(fields) if name.startswith("vads_")]
    message = "+".join([*values, key]).encode()
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


def _sandbox_only(view: View) -> View:
    """404 before anything else (even 405 for a GET) unless PAYMENT_SANDBOX is true."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.PAYMENT_SANDBOX:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _shop(request: LandlordRequest, site_id: str) -> PaymentProvider | None:
    return PaymentProvider.objects.filter(
        landlord=request.landlord,
        backend=PaymentProvider.Backend.SYSTEMPAY,
        shop_id=site_id,
    ).first()


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "payments/sandbox/refused.html", {"reason": reason}, status=400)


class CardForm(forms.Form):
    card_number = forms.CharField(
        label="Numéro de carte",
        max_length=23,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
        error_messages={"required": "Saisissez le numéro de la carte."},
    )
    expiry = forms.CharField(
        label="Date d'expiration (MM/AA)",
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-exp"}),
        error_messages={"required": "Saisissez la date d'expiration."},
    )
    cvv = forms.CharField(
        label="Cryptogramme visuel (3 chiffres au dos de la carte)",
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-csc"}),
        error_messages={"required": "Saisissez le cryptogramme visuel."},
    )

    def clean_card_number(self) -> str:
        number = "".join(self.cleaned_data["card_number"].split())
        if number not in TEST_CARDS:
            raise forms.ValidationError(
                "Carte inconnue du bac à sable : utilisez une des cartes de test ci-dessus."
            )
        return number

    def clean_expiry(self) -> str:
        value: str = self.cleaned_data["expiry"].strip()
        try:
            month, year = (int(part) for part in value.split("/"))
            expires = datetime.date(2000 + year, month, 1)
        except ValueError:
            raise forms.ValidationError("Date au format MM/AA, par exemple 12/30.") from None
        if expires < datetime.date.today().replace(day=1):
            raise forms.ValidationError("Cette carte a expiré.")
        return value

    def clean_cvv(self) -> str:
        value: str = self.cleaned_data["cvv"].strip()
        if not (value.isdigit() and len(value) == 3):
            raise forms.ValidationError("Le cryptogramme compte 3 chiffres.")
        return value


def _page(
    request: HttpRequest, template: str, order: dict[str, Any], **context: object
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "token": signing.dumps(order, salt=ORDER_SIGNING_SALT),
            "amount": format_euros(int(order["fields"]["vads_amount"])),
            "order_id": order["fields"].get("vads_order_id", ""),
            "test_cards": TEST_CARDS,
            **context,
        },
    )


@_sandbox_only
@csrf_exempt  # a form posted from the shop's own pages, as to Lyra's
@private_page
@require_POST
def payment_page(request: LandlordRequest) -> HttpResponse:
    """Lyra's payment page: check the shop's signed form, then ask for a card."""
    fields = {name: str(value) for name, value in request.POST.items() if name.startswith("vads_")}
    signature = request.POST.get("signature", "")
    missing = [name for name in REQUIRED_FIELDS if not request.POST.get(name)]
    if missing:
        return _refuse(request, f"Champs manquants : {', '.join(missing)}.")
    shop = _shop(request, fields["vads_site_id"])
    if shop is None:
        return _refuse(request, "Boutique inconnue.")
    if fields["vads_ctx_mode"] != "TEST":
        return _refuse(request, "Le bac à sable n'accepte que le mode TEST.")
    if not hmac.compare_digest(lyra_signature(fields, shop.key), signature):
        return _refuse(request, "Signature invalide : le formulaire a été modifié.")
    if not fields["vads_amount"].isdigit():
        return _refuse(request, "Montant invalide.")
    return _page(request, "payments/sandbox/card.html", {"fields": fields}, form=CardForm())


def _order(request: HttpRequest, max_age: int = PAGE_LIFETIME_SECONDS) -> dict[str, Any]:
    try:
        order: dict[str, Any] = signing.loads(
            request.POST.get("token", ""), salt=ORDER_SIGNING_SALT, max_age=max_age
        )
        return order
    except signing.BadSignature:
        raise Http404 from None


@_sandbox_only
@csrf_exempt
@private_page
@require_POST
def card(request: LandlordRequest) -> HttpResponse:
    order = _order(request)
    form = CardForm(request.POST)
    if not form.is_valid():
        return _page(request, "payments/sandbox/card.html", order, form=form)
    number = form.cleaned_data["card_number"]
    order["card"] = {
        "number": number[:6] + "X" * (len(number) - 10) + number[-4:],
        "expiry": form.cleaned_data["expiry"],
    }
    outcome = TEST_CARDS[number]
    if outcome == CHALLENGE:
        return _page(request, "payments/sandbox/challenge.html", order)
    return _finish(request, order, "AUTHORISED" if outcome == ACCEPTED else "REFUSED")


@_sandbox_only
@csrf_exempt
@private_page
@require_POST
def challenge(request: LandlordRequest) -> HttpResponse:
    """The 3-D Secure step: the tenant validates on their phone, or cancels."""
    order = _order(request)
    if "card" not in order:
        raise Http404
    status = "AUTHORISED" if request.POST.get("decision") == "validate" else "ABANDONED"
    return _finish(request, order, status, challenged=True)


RESULTS = {
    # vads_trans_status: (vads_result, vads_auth_result)
    "AUTHORISED": ("00", "00"),
    "REFUSED": ("05", "05"),
    "ABANDONED": ("17", ""),
}


def notification_fields(
    order: dict[str, Any], status: str, key: str, challenged: bool = False
) -> dict[str, str]:
    """The IPN Lyra posts to vads_url_check, signed with the shop's key."""
    request_fields = order["fields"]
    now = datetime.datetime.now(datetime.UTC)
    card = order.get("card", {})
    result, auth_result = RESULTS[status]
    fields = {name: request_fields[name] for name in ECHOED_FIELDS if name in request_fields}
    month, _, year = card.get("expiry", "").partition("/")
    fields |= {
        "vads_auth_mode": "FULL",
        "vads_auth_number": f"{secrets.randbelow(10**6):06d}" if status == "AUTHORISED" else "",
        "vads_auth_result": auth_result,
        "vads_capture_delay": "0",
        "vads_card_brand": "CB" if card else "",
        "vads_card_number": card.get("number", ""),
        "vads_effective_amount": request_fields["vads_amount"],
        "vads_effective_creation_date": now.strftime("%Y%m%d%H%M%S"),
        "vads_expiry_month": month,
        "vads_expiry_year": f"20{year}" if year else "",
        "vads_operation_type": "DEBIT",
        "vads_result": result,
        "vads_sequence_number": "1",
        "vads_threeds_status": ("Y" if challenged else "A") if card else "",
        "vads_trans_status": status,
        "vads_trans_uuid": uuid.uuid4().hex,
        "vads_url_check_src": "PAY",
    }
    fields["signature"] = lyra_signature(fields, key)
    return fields


def post_notification(url: str, fields: dict[str, str]) -> int:
    """POST the IPN server to server. `*.localhost` may not resolve through Python's resolver:
    such URLs are sent to 127.0.0.1 with the original Host header (the demo's own server)."""
    parts = urlsplit(url)
    headers = {}
    if parts.hostname == "localhost" or (parts.hostname or "").endswith(".localhost"):
        headers["Host"] = parts.netloc
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
    with requests.Session() as session:
        session.trust_env = False  # no proxy between the portal and itself
        response = session.post(url, data=fields, headers=headers, timeout=10)
    return response.status_code


def _finish(
    request: LandlordRequest, order: dict[str, Any], status: str, challenged: bool = False
) -> HttpResponse:
    fields = order["fields"]
    shop = _shop(request, fields["vads_site_id"])
    if shop is None:
        raise Http404
    url_check = fields.get("vads_url_check")
    if url_check:
        ipn = notification_fields(order, status, shop.key, challenged=challenged)
        try:
            answer = post_notification(url_check, ipn)
        except requests.RequestException as exc:
            # Lyra retries later; the portal's reconciliation settles the payment meanwhile.
            logger.warning("Sandbox: notification to the shop failed (%s)", type(exc).__name__)
        else:
            if answer != 200:
                logger.warning("Sandbox: the shop answered %s to the notification", answer)
    return_url = fields.get("vads_url_return")
    if return_url:
        return redirect(return_url)
    return render(request, "payments/sandbox/done.html", {"status": status})
