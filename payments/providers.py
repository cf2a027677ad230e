"""The payment providers' protocols behind one small interface.

A provider does three things: `start(payment)` hands back where to send the tenant (the
hosted payment page: the portal never sees card data), `parse_notification(data)` turns a
server-to-server message into a verified `ProviderResult`, and `status(payment)` asks the
provider what became of a payment (None when the protocol cannot).

Both protocols go through eopayment (Entr'ouvert's library, used by French public bodies):
Systempay / PayZen (Lyra's form, `vads_*` fields, HMAC-SHA-256) and PayFiP (the DGFiP's
SOAP web service). What eopayment leaves out for rule 2 (constant-time signature check, the
shop id, the mode, the amount and currency) is checked here and in payments.services.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import hmac
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from django.views.decorators.debug import sensitive_variables

from payments.models import Payment, PaymentProvider

# eopayment, zeep and requests are imported where a payment talks to its provider: a web
# worker that starts would otherwise load them (about 30 MB and a fifth of a second) for
# pages that never pay.
if TYPE_CHECKING:
    import eopayment
    import requests

# eopayment logs the string it signs, key included, at DEBUG level: give it a logger of its
# own that is outside the logging tree and never emits below CRITICAL.
SILENCED_LOGGER = logging.Logger("payments.eopayment", level=logging.CRITICAL)

ISO_4217_NUMERIC = {"978": "EUR"}


class ProviderUnavailable(Exception):
    """The provider could not be reached, or refused to start the payment."""


class InvalidMessage(Exception):
    """A provider message that must change nothing (bad signature, missing fields…)."""


class Outcome(StrEnum):
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    PENDING = "pending"


class Operation(StrEnum):
    """What a provider's message is about: the payment itself, or money given back on it."""

    PAYMENT = "payment"
    # Lyra's CREDIT operation on the order (outcome PAID: the refund is made).
    REFUND = "refund"


@dataclass(frozen=True)
class Checkout:
    """Where the tenant's browser goes: a URL, with hidden fields to POST when `method` is POST."""

    url: str
    method: str
    fields: list[tuple[str, str]]
    provider_transaction_id: str


@dataclass
class ProviderResult:
    """What a provider says about one payment, its signature (if any) already verified."""

    outcome: Outcome
    message: str
    provider_transaction_id: str = ""
    reference: str = ""
    shop_id: str = ""
    mode: str = ""
    amount_cents: int | None = None
    currency: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    operation: Operation = Operation.PAYMENT
    # The provider's own word for the transaction's state (Lyra: vads_trans_status).
    detailed_status: str = ""

    @property
    def cancels(self) -> bool:
        """The provider cancelled the transaction: after the payment's confirmation, the
        money comes back (Lyra: CANCELLED on the DEBIT operation)."""
        return self.operation == Operation.PAYMENT and self.detailed_status == "CANCELLED"


def _portal_relative(url: str, portal_url: str) -> str:
    """ "/paiement/bac-a-sable/" means the portal's own host (the demo's sandbox)."""
    return portal_url.rstrip("/") + url if url.startswith("/") else url


def post_to(url: str, **kwargs: Any) -> requests.Response:
    """POST server to server. `*.localhost` may not resolve through Python's resolver: such
    URLs go to 127.0.0.1 (same port) with the original Host header (the demo's own server,
    the browser tests' live server)."""
    import requests

    parts = urlsplit(url)
    headers = dict(kwargs.pop("headers", None) or {})
    if parts.hostname == "localhost" or (parts.hostname or "").endswith(".localhost"):
        headers["Host"] = parts.netloc
        netloc = "127.0.0.1" + (f":{parts.port}" if parts.port else "")
        url = urlunsplit(parts._replace(netloc=netloc))
    with requests.Session() as session:
        session.trust_env = False  # no proxy between the portal and itself
        return session.post(url, headers=headers, **kwargs)


class Provider:
    def __init__(self, config: PaymentProvider, portal_url: str = "") -> None:
        self.config = config
        self.service_url = _portal_relative(config.service_url, portal_url)
        self.rest_url = _portal_relative(config.rest_url, portal_url)

    @property
    def payment_page_url(self) -> str:
        """Where the tenant's browser is sent to pay (the portal allows its forms to go there)."""
        raise NotImplementedError

    def start(self, payment: Payment, *, return_url: str, notification_url: str) -> Checkout:
        raise NotImplementedError

    def parse_notification(self, data: dict[str, str]) -> ProviderResult:
        raise NotImplementedError

    def status(self, payment: Payment) -> ProviderResult | None:
        return None


# --- Systempay / PayZen ------------------------------------------------------------------

# vads_trans_status values (Lyra's "vads_trans_status" reference).
SYSTEMPAY_PAID = {"AUTHORISED", "CAPTURED", "ACCEPTED"}
SYSTEMPAY_FAILED = {"REFUSED", "CANCELLED", "ABANDONED", "CAPTURE_FAILED", "NOT_CREATED"}
SYSTEMPAY_EXPIRED = {"EXPIRED"}
SYSTEMPAY_REQUIRED = (
    "signature",
    "vads_ctx_mode",
    "vads_site_id",
    "vads_order_id",
    "vads_amount",
    "vads_currency",
    "vads_trans_status",
)


SYSTEMPAY_REST_URL = "https://api.systempay.fr/api-payment/"
REST_TIMEOUT_SECONDS = 15
# Lyra's REST error when the order has no transaction: the tenant never paid on its page.
REST_ORDER_NOT_FOUND = "PSP_010"


def order_status(answer: object, reference: str) -> ProviderResult:
    """Lyra's Order/Get answer (`{"status": "SUCCESS", "answer": {"_type":
    "V4/OrderTransactions", "transactions": [...]}}`) as what became of the payment: a paid
    DEBIT transaction pays it; else a running one keeps it pending; else the latest decides
    (EXPIRED: expired, anything else unpaid: failed); no transaction at all: expired."""
    if not isinstance(answer, dict) or not isinstance(answer.get("answer"), dict):
        raise InvalidMessage("Order/Get: not a web service response")
    body = answer["answer"]
    mode = str(answer.get("mode") or "")
    if answer.get("status") != "SUCCESS":
        code = str(body.get("errorCode") or "")
        if code == REST_ORDER_NOT_FOUND:
            return ProviderResult(
                outcome=Outcome.EXPIRED,
                message=f"Order/Get: {code} aucune transaction",
                reference=reference,
                shop_id=str(body.get("shopId") or ""),
                mode=mode,
                fields={"errorCode": code, "errorMessage": str(body.get("errorMessage") or "")},
            )
        raise InvalidMessage(f"Order/Get: {code} {body.get('errorMessage') or ''}".strip())
    if body.get("orderId") != reference:
        raise InvalidMessage("Order/Get: another order's answer")
    debits = [
        t
        for t in body.get("transactions") or []
        if isinstance(t, dict) and t.get("operationType", "DEBIT") == "DEBIT"
    ]
    shop_id = str(body.get("shopId") or "")
    if not debits:
        return ProviderResult(
            outcome=Outcome.EXPIRED,
            message="Order/Get: aucune transaction",
            reference=reference,
            shop_id=shop_id,
            mode=mode,
        )
    debits.sort(key=lambda t: str(t.get("creationDate") or ""))
    chosen = next(
        (t for t in debits if t.get("status") == "PAID"),
        next((t for t in debits if t.get("status") == "RUNNING"), debits[-1]),
    )
    status, detailed = str(chosen.get("status")), str(chosen.get("detailedStatus"))
    if status == "PAID":
        outcome = Outcome.PAID
    elif status == "RUNNING":
        outcome = Outcome.PENDING
    elif detailed == "EXPIRED":
        outcome = Outcome.EXPIRED
    else:
        outcome = Outcome.FAILED  # UNPAID (REFUSED, CANCELLED, ERROR…) or ABANDONED
    amount = chosen.get("amount")
    details = chosen.get("orderDetails")
    if not isinstance(details, dict):
        details = {}
    return ProviderResult(
        outcome=outcome,
        message=f"Order/Get: {status}/{detailed}",
        provider_transaction_id=str(chosen.get("uuid") or ""),
        reference=reference,
        shop_id=str(chosen.get("shopId") or shop_id),
        mode=str(details.get("mode") or mode),
        amount_cents=amount if isinstance(amount, int) else None,
        currency=str(chosen.get("currency") or ""),
        fields={
            key: str(chosen.get(key))
            for key in ("uuid", "status", "detailedStatus", "amount", "currency", "creationDate")
        },
        detailed_status=detailed,
    )


class SystempayProvider(Provider):
    @property
    def payment_page_url(self) -> str:
        from eopayment import systempayv2

        return str(self.service_url or systempayv2.Payment.service_url)

    # The options hold the shop's key: keep it out of Django's error reports.
    @sensitive_variables("options")
    def _eopayment(self, **urls: str) -> eopayment.Payment:
        import eopayment

        options = {
            "site_id": self.config.shop_id,
            "ctx_mode": self.config.mode,
            # One key per configuration: the one of its mode.
            "secret_test": self.config.key,
            "secret_production": self.config.key,
            "signature_algo": "hmac_sha256",
            "return_mode": "NONE",
            **urls,
        }
        if self.service_url:
            options["service_url"] = self.service_url
        return eopayment.Payment(eopayment.SYSTEMPAY, options, logger=SILENCED_LOGGER)

    def start(self, payment: Payment, *, return_url: str, notification_url: str) -> Checkout:
        backend = self._eopayment(
            normal_return_url=return_url, automatic_return_url=notification_url
        )
        transaction_id, _kind, form = backend.request(
            decimal.Decimal(payment.amount_cents) / 100, orderid=payment.reference
        )
        return Checkout(
            url=form.url,
            method="POST",
            fields=[(f["name"], f["value"]) for f in form.fields],
            provider_transaction_id=transaction_id,
        )

    def parse_notification(self, data: dict[str, str]) -> ProviderResult:
        missing = [name for name in SYSTEMPAY_REQUIRED if not data.get(name)]
        if missing:
            raise InvalidMessage(f"missing fields: {', '.join(missing)}")
        if data["vads_ctx_mode"] not in PaymentProvider.Mode.values:
            raise InvalidMessage("unknown vads_ctx_mode")
        if not self.config.key:
            # An empty key signs nothing: anyone could compute the HMAC.
            raise InvalidMessage("no signature key configured")
        expected = self._eopayment().backend.signature(data)
        if not hmac.compare_digest(expected.encode(), data["signature"].encode()):
            raise InvalidMessage("bad signature")
        status = data["vads_trans_status"]
        operation = (
            Operation.REFUND if data.get("vads_operation_type") == "CREDIT" else Operation.PAYMENT
        )
        if status in SYSTEMPAY_PAID:
            outcome = Outcome.PAID
            if data.get("vads_result") not in (None, "00"):
                raise InvalidMessage(f"{status} with vads_result {data.get('vads_result')}")
        elif status in SYSTEMPAY_FAILED:
            outcome = Outcome.FAILED
        elif status in SYSTEMPAY_EXPIRED:
            outcome = Outcome.EXPIRED
        else:
            outcome = Outcome.PENDING  # WAITING_AUTHORISATION, UNDER_VERIFICATION…
        if not data["vads_amount"].isdigit():
            raise InvalidMessage("vads_amount is not a number of cents")
        transaction_id = data.get("vads_trans_uuid") or "_".join(
            filter(None, [data.get("vads_trans_date"), data.get("vads_trans_id")])
        )
        return ProviderResult(
            outcome=outcome,
            message=f"vads_trans_status={status}",
            provider_transaction_id=transaction_id,
            reference=data["vads_order_id"],
            shop_id=data["vads_site_id"],
            mode=data["vads_ctx_mode"],
            amount_cents=int(data["vads_amount"]),
            currency=ISO_4217_NUMERIC.get(data["vads_currency"], data["vads_currency"]),
            fields=dict(data),
            operation=operation,
            detailed_status=status,
        )

    # The REST password, like the key, stays out of Django's error reports.
    @sensitive_variables("auth")
    def status(self, payment: Payment) -> ProviderResult | None:
        """Lyra's REST API, Order/Get (Basic auth: shop id and REST password): what became of
        the order's transactions. None without a REST password (the payment then expires)."""
        if not self.config.rest_password:
            return None
        import requests

        url = (self.rest_url or SYSTEMPAY_REST_URL).rstrip("/") + "/V4/Order/Get"
        auth = (self.config.shop_id, self.config.rest_password)
        try:
            response = post_to(
                url, json={"orderId": payment.reference}, auth=auth, timeout=REST_TIMEOUT_SECONDS
            )
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"Order/Get: {type(exc).__name__}") from exc
        return order_status(answer, payment.reference)


# --- PayFiP -----------------------------------------------------------------------------

PAYFIP_SAISIE: dict[str, str] = {
    PaymentProvider.Mode.TEST: "T",
    PaymentProvider.Mode.PRODUCTION: "W",
}
PAYFIP_MODES = {"T": PaymentProvider.Mode.TEST, "W": PaymentProvider.Mode.PRODUCTION}


@functools.cache
def payfip_outcomes() -> dict[Any, Outcome]:
    import eopayment

    return {
        eopayment.PAID: Outcome.PAID,
        eopayment.DENIED: Outcome.FAILED,
        eopayment.CANCELLED: Outcome.FAILED,
        eopayment.EXPIRED: Outcome.EXPIRED,
        eopayment.WAITING: Outcome.PENDING,
    }


PAYFIP_TIMEOUT_SECONDS = 15


class PayfipProvider(Provider):
    @property
    def payment_page_url(self) -> str:
        # `service_url` is PayFiP's web service; the tenant always pays on PayFiP's own page.
        from eopayment import payfip_ws

        return str(payfip_ws.PAYMENT_URL)

    def _eopayment(self, **urls: str) -> eopayment.Payment:
        import eopayment

        from payments.payfip_client import PayFiPAt

        options = {
            "numcli": self.config.shop_id,
            "saisie": PAYFIP_SAISIE[self.config.mode],
            **urls,
        }
        payment = eopayment.Payment(eopayment.PAYFIP_WS, options, logger=SILENCED_LOGGER)
        if self.service_url:
            payment.backend.payfip = PayFiPAt(self.service_url)
        return payment

    def start(self, payment: Payment, *, return_url: str, notification_url: str) -> Checkout:
        backend = self._eopayment(
            normal_return_url=return_url, automatic_return_url=notification_url
        )
        from eopayment import payfip_ws

        try:
            idop, _kind, url = backend.request(
                decimal.Decimal(payment.amount_cents) / 100,
                email=payment.user.email if payment.user else "",
                refdet=payment.reference,
                exer=str(payment.created_at.year),
                subject=f"Loyer compte {payment.account.number}",
                timeout=PAYFIP_TIMEOUT_SECONDS,
            )
        except (payfip_ws.PayFiPError, ValueError) as exc:
            raise ProviderUnavailable(_describe_payfip_error(exc)) from exc
        return Checkout(url=url, method="GET", fields=[], provider_transaction_id=idop)

    def parse_notification(self, data: dict[str, str]) -> ProviderResult:
        # PayFiP's notification is not signed: it only names the operation (idOp); what
        # became of it is learnt by asking PayFiP itself (recupererDetailPaiementSecurise).
        idop = data.get("idOp") or data.get("idop")
        if not idop:
            raise InvalidMessage("missing idOp")
        return self._status(idop, transaction_date=None)

    def status(self, payment: Payment) -> ProviderResult | None:
        if not payment.provider_transaction_id:
            return None
        return self._status(payment.provider_transaction_id, transaction_date=payment.created_at)

    def _status(self, idop: str, transaction_date: datetime.datetime | None) -> ProviderResult:
        from eopayment import payfip_ws

        try:
            response = self._eopayment().payment_status(
                idop, transaction_date=transaction_date, timeout=PAYFIP_TIMEOUT_SECONDS
            )
        except payfip_ws.PayFiPError as exc:
            raise ProviderUnavailable(_describe_payfip_error(exc)) from exc
        outcome = payfip_outcomes().get(response.result)
        if outcome is None:
            raise InvalidMessage(f"unknown PayFiP result: {response.bank_status}")
        data = {
            key: "" if value is None else str(value) for key, value in response.bank_data.items()
        }
        montant = data.get("montant", "")
        return ProviderResult(
            outcome=outcome,
            message=response.bank_status or str(response.result),
            provider_transaction_id=idop,
            reference=data.get("refdet", ""),
            shop_id=data.get("numcli", ""),
            mode=PAYFIP_MODES.get(data.get("saisie", ""), data.get("saisie", "")),
            amount_cents=int(montant) if montant.isdigit() else None,
            currency="EUR" if data else "",
            fields=data,
        )


def _describe_payfip_error(exc: Exception) -> str:
    from eopayment import payfip_ws

    if isinstance(exc, payfip_ws.PayFiPError):
        return f"PayFiP {exc.code}: {exc.message}"
    return f"PayFiP: {exc}"


BACKENDS: dict[str, type[Provider]] = {
    PaymentProvider.Backend.SYSTEMPAY: SystempayProvider,
    PaymentProvider.Backend.PAYFIP: PayfipProvider,
}


def provider_for(config: PaymentProvider, portal_url: str = "") -> Provider:
    return BACKENDS[config.backend](config, portal_url)
