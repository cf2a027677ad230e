"""A Systempay payment page served by the portal itself, for the demo and the tests.

It speaks Lyra's protocol as a real shop would see it, written apart from the portal's own
Systempay adapter (which goes through eopayment) so that each checks the other: it receives
the signed `vads_*` form, refuses a bad signature, asks for the means of payment then a test
card (and a 3-D Secure validation for one of them), sends the signed server-to-server
notification (IPN) to `vads_url_check`, then sends the tenant back to `vads_url_return`.
"Annuler et retourner à la boutique" sends the abandonment notification (ABANDONED), as
Lyra does when the shop's "URL de notification sur annulation" rule is on.

Like Lyra, it keeps the transactions it created (SandboxTransaction): its REST API answers
Order/Get about them (Basic auth: shop id and REST password), and its back office refunds
(CREDIT) or cancels (CANCELLED) them, each with its signed notification (MERCH_BO).

Only TEST mode; every view answers 404 unless PAYMENT_SANDBOX is true (never in production).
"""

import base64
import binascii
import datetime
import functools
import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing.money import format_euros
from core.cache import private_page
from core.http import small_body
from landlords.requests import LandlordRequest
from payments.forms import parse_euros
from payments.models import PaymentProvider, SandboxTransaction
from payments.providers import post_to

View = Callable[..., HttpResponse]

logger = logging.getLogger(__name__)

# The test cards (docs/payments.md), as Lyra's test platform numbers them.
ACCEPTED, REFUSED, CHALLENGE = "accepted", "refused", "challenge"
TEST_CARDS = {
    "4970100000000003": ACCEPTED,
    "4970100000000014": REFUSED,
    "4970100000000055": CHALLENGE,
}
# The means of payment Lyra's page offers before the card form ("Sélectionnez le moyen de
# paiement"), as vads_card_brand names them.
BRANDS = {"CB": "CB", "VISA": "Visa", "MASTERCARD": "Mastercard"}
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
    return _page(request, "payments/sandbox/method.html", {"fields": fields}, brands=BRANDS)


@_sandbox_only
@csrf_exempt
@private_page
@require_POST
def method(request: LandlordRequest) -> HttpResponse:
    """The means of payment chosen: the card form."""
    order = _order(request)
    brand = request.POST.get("brand", "")
    if brand not in BRANDS:
        return _page(request, "payments/sandbox/method.html", order, brands=BRANDS)
    order["brand"] = brand
    return _page(request, "payments/sandbox/card.html", order, form=CardForm(), brand=BRANDS[brand])


@_sandbox_only
@csrf_exempt
@private_page
@require_POST
def cancel(request: LandlordRequest) -> HttpResponse:
    """ "Annuler et retourner à la boutique": the abandonment notification, then the shop."""
    return _finish(request, _order(request), "ABANDONED")


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
        brand = BRANDS.get(order.get("brand", ""), "")
        return _page(request, "payments/sandbox/card.html", order, form=form, brand=brand)
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
    # vads_trans_status: (vads_result, vads_auth_result); 17: cancelled by the buyer.
    "AUTHORISED": ("00", "00"),
    "REFUSED": ("05", "05"),
    "ABANDONED": ("17", ""),
    "CANCELLED": ("00", ""),
    "CAPTURED": ("00", "00"),
}


def notification_fields(
    order: dict[str, Any],
    status: str,
    key: str,
    challenged: bool = False,
    *,
    trans_uuid: str = "",
    operation_type: str = "DEBIT",
    amount: str = "",
    source: str = "PAY",
) -> dict[str, str]:
    """The IPN Lyra posts to vads_url_check, signed with the shop's key. An abandoned payment
    has no transaction: neither card nor transaction uuid."""
    request_fields = order["fields"]
    now = datetime.datetime.now(datetime.UTC)
    card = order.get("card", {})
    result, auth_result = RESULTS[status]
    fields = {name: request_fields[name] for name in ECHOED_FIELDS if name in request_fields}
    month, _, year = card.get("expiry", "").partition("/")
    amount = amount or request_fields["vads_amount"]
    fields |= {
        "vads_amount": amount,
        "vads_auth_mode": "FULL",
        "vads_auth_number": f"{secrets.randbelow(10**6):06d}" if status == "AUTHORISED" else "",
        "vads_auth_result": auth_result,
        "vads_capture_delay": "0",
        "vads_card_brand": order.get("brand", "CB") if card else "",
        "vads_card_number": card.get("number", ""),
        "vads_effective_amount": amount,
        "vads_effective_creation_date": now.strftime("%Y%m%d%H%M%S"),
        "vads_expiry_month": month,
        "vads_expiry_year": f"20{year}" if year else "",
        "vads_operation_type": operation_type,
        "vads_result": result,
        "vads_sequence_number": "1",
        "vads_threeds_status": ("Y" if challenged else "A") if card else "",
        "vads_trans_status": status,
        "vads_trans_uuid": "" if status == "ABANDONED" else trans_uuid or uuid.uuid4().hex,
        "vads_url_check_src": source,
    }
    fields["signature"] = lyra_signature(fields, key)
    return fields


def post_notification(url: str, fields: dict[str, str]) -> int:
    """POST the IPN server to server (to the portal's own host in the demo and the tests)."""
    return post_to(url, data=fields, timeout=10).status_code


def _send(url: str, ipn: dict[str, str]) -> None:
    import requests

    try:
        answer = post_notification(url, ipn)
    except requests.RequestException as exc:
        # Lyra retries later; the portal's reconciliation settles the payment meanwhile.
        logger.warning("Sandbox: notification to the shop failed (%s)", type(exc).__name__)
    else:
        if answer != 200:
            logger.warning("Sandbox: the shop answered %s to the notification", answer)


def _finish(
    request: LandlordRequest, order: dict[str, Any], status: str, challenged: bool = False
) -> HttpResponse:
    fields = order["fields"]
    shop = _shop(request, fields["vads_site_id"])
    if shop is None:
        raise Http404
    trans_uuid = uuid.uuid4().hex
    if status != "ABANDONED":
        # Lyra creates no transaction for an abandoned payment: Order/Get will not know it.
        SandboxTransaction.objects.create(
            provider=shop,
            order_id=fields.get("vads_order_id", ""),
            uuid=trans_uuid,
            detailed_status=status,
            amount_cents=int(fields["vads_amount"]),
            currency="EUR",
            mode=fields["vads_ctx_mode"],
            card_brand=order.get("brand", ""),
            card_number=order.get("card", {}).get("number", ""),
            notification={"fields": fields, "brand": order.get("brand", "")},
        )
    url_check = fields.get("vads_url_check")
    if url_check:
        _send(
            url_check,
            notification_fields(
                order, status, shop.key, challenged=challenged, trans_uuid=trans_uuid
            ),
        )
    return_url = fields.get("vads_url_return")
    if return_url:
        return redirect(return_url)
    return render(request, "payments/sandbox/done.html", {"status": status})


# --- Lyra's REST API: Order/Get ------------------------------------------------------------


def _rest_error(code: str, message: str, shop_id: str, status: int = 200) -> JsonResponse:
    return JsonResponse(
        {
            "webService": "Order/Get",
            "version": "V4",
            "status": "ERROR",
            "answer": {
                "errorCode": code,
                "errorMessage": message,
                "detailedErrorCode": None,
                "detailedErrorMessage": None,
                "shopId": shop_id,
                "_type": "V4/WebService/WebServiceError",
            },
            "mode": "TEST",
            "_type": "V4/WebService/Response",
        },
        status=status,
    )


def _basic_auth(request: HttpRequest) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return username, password


def _rest_status(transaction: SandboxTransaction) -> str:
    if transaction.detailed_status in ("AUTHORISED", "CAPTURED"):
        return "PAID"
    if transaction.detailed_status in ("WAITING_AUTHORISATION", "UNDER_VERIFICATION"):
        return "RUNNING"
    return "UNPAID"


def _rest_transaction(transaction: SandboxTransaction) -> dict[str, Any]:
    return {
        "shopId": transaction.provider.shop_id,
        "uuid": transaction.uuid,
        "paymentMethodType": "CARD",
        "detailedStatus": transaction.detailed_status,
        "status": _rest_status(transaction),
        "amount": transaction.amount_cents,
        "currency": transaction.currency,
        "creationDate": transaction.created_at.astimezone(datetime.UTC).isoformat(),
        "errorCode": None,
        "errorMessage": None,
        "operationType": transaction.operation_type,
        "transactionDetails": {
            "effectiveAmount": transaction.amount_cents,
            "effectiveCurrency": transaction.currency,
            "parentTransactionUuid": transaction.parent_uuid or None,
            "cardDetails": {
                "effectiveBrand": transaction.card_brand or None,
                "pan": transaction.card_number or None,
            },
            "_type": "V4/TransactionDetails",
        },
        "orderDetails": {
            "orderTotalAmount": transaction.amount_cents,
            "orderCurrency": transaction.currency,
            "mode": transaction.mode,
            "orderId": transaction.order_id,
            "_type": "V4/OrderDetails",
        },
        "_type": "V4/Transaction",
    }


@_sandbox_only
@csrf_exempt  # a server-to-server call, authenticated by HTTP Basic
@small_body
@require_POST
def order_get(request: LandlordRequest) -> JsonResponse:
    """Lyra's REST web service Order/Get: the order's transactions, for the shop whose id and
    REST password authenticate the call (PSP_010 when the order has no transaction)."""
    credentials = _basic_auth(request)
    shop = (
        PaymentProvider.objects.filter(
            landlord=request.landlord,
            backend=PaymentProvider.Backend.SYSTEMPAY,
            shop_id=credentials[0],
        ).first()
        if credentials
        else None
    )
    if (
        shop is None
        or credentials is None
        or not shop.rest_password
        or not hmac.compare_digest(credentials[1].encode(), shop.rest_password.encode())
    ):
        return _rest_error("INT_905", "invalid authentication", "", status=401)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    order_id = body.get("orderId") if isinstance(body, dict) else None
    if not isinstance(order_id, str) or not order_id:
        return _rest_error("INT_902", "web-service input data validation error", shop.shop_id)
    transactions = list(
        shop.sandbox_transactions.filter(order_id=order_id).order_by("created_at", "pk")
    )
    if not transactions:
        return _rest_error("PSP_010", "transaction not found", shop.shop_id)
    return JsonResponse(
        {
            "webService": "Order/Get",
            "version": "V4",
            "status": "SUCCESS",
            "answer": {
                "orderId": order_id,
                "shopId": shop.shop_id,
                "transactions": [_rest_transaction(t) for t in transactions],
                "_type": "V4/OrderTransactions",
            },
            "mode": shop.mode,
            "_type": "V4/WebService/Response",
        }
    )


# --- The sandbox's back office: refunds and cancellations -----------------------------------


def _sandbox_shop(request: LandlordRequest) -> PaymentProvider:
    return get_object_or_404(
        PaymentProvider, landlord=request.landlord, backend=PaymentProvider.Backend.SYSTEMPAY
    )


def refundable_cents(transaction: SandboxTransaction) -> int:
    refunded = SandboxTransaction.objects.filter(
        provider=transaction.provider,
        parent_uuid=transaction.uuid,
        operation_type="CREDIT",
    ).aggregate(total=Sum("amount_cents"))["total"]
    return transaction.amount_cents - int(refunded or 0)


@_sandbox_only
@private_page
@require_GET
def back_office(request: LandlordRequest) -> HttpResponse:
    """The shop's transactions, as Lyra's back office lists them, with its two operations."""
    shop = _sandbox_shop(request)
    rows = [
        (t, format_euros(t.amount_cents), format_euros(refundable_cents(t)))
        for t in shop.sandbox_transactions.order_by("-created_at", "-pk")[:50]
    ]
    return render(request, "payments/sandbox/back_office.html", {"rows": rows})


@_sandbox_only
@private_page
@require_POST
def operation(request: LandlordRequest, transaction_uuid: str) -> HttpResponse:
    """Refund (a CREDIT transaction) or cancel a paid transaction, and notify the shop."""
    shop = _sandbox_shop(request)
    original = get_object_or_404(
        shop.sandbox_transactions, uuid=transaction_uuid, operation_type="DEBIT"
    )
    if original.detailed_status not in ("AUTHORISED", "CAPTURED"):
        messages.error(request, "Seule une transaction payée peut être remboursée ou annulée.")
        return redirect("sandbox_back_office")
    order = {"fields": original.notification.get("fields", {}), "brand": original.card_brand}
    order["card"] = {"number": original.card_number}
    if request.POST.get("action") == "cancel":
        original.detailed_status = "CANCELLED"
        original.save(update_fields=["detailed_status"])
        ipn = notification_fields(
            order, "CANCELLED", shop.key, trans_uuid=original.uuid, source="MERCH_BO"
        )
        messages.success(request, f"Transaction {original.order_id} annulée.")
    else:
        cents = parse_euros(request.POST.get("amount", ""))
        if cents is None or not 0 < cents <= refundable_cents(original):
            messages.error(
                request,
                "Montant à rembourser invalide : au plus "
                f"{format_euros(refundable_cents(original))}.",
            )
            return redirect("sandbox_back_office")
        refund = SandboxTransaction.objects.create(
            provider=shop,
            order_id=original.order_id,
            uuid=uuid.uuid4().hex,
            operation_type="CREDIT",
            detailed_status="CAPTURED",
            amount_cents=cents,
            mode=original.mode,
            card_brand=original.card_brand,
            card_number=original.card_number,
            parent_uuid=original.uuid,
        )
        ipn = notification_fields(
            order,
            "CAPTURED",
            shop.key,
            trans_uuid=refund.uuid,
            operation_type="CREDIT",
            amount=str(cents),
            source="MERCH_BO",
        )
        messages.success(
            request, f"Remboursement de {format_euros(cents)} sur {original.order_id}."
        )
    url_check = order["fields"].get("vads_url_check")
    if url_check:
        _send(url_check, ipn)
    return redirect("sandbox_back_office")
