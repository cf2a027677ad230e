"""The rules of online payment: what may be paid, which message changes which state, exports.

Each state change is one function (`mark_pending`, `mark_paid`, `mark_failed`,
`mark_expired`) that also writes a PaymentEvent; callers hold the payment's row lock in a
transaction. States only move forward (created → pending → failed/expired → paid): a
refusal arriving after an acceptance changes nothing, and a late acceptance of a payment we
had given up on still credits the account, since the money was taken.

Only the provider changes a payment's state (its server-to-server notification, or the
answer to our status request); the tenant's return page only reads it.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from billing.models import LedgerEntry
from billing.money import format_euros
from landlords.models import Landlord
from notifications.emails import send_templated_email
from payments.models import ApiToken, Payment, PaymentEvent, PaymentExport, PaymentProvider
from payments.providers import (
    Checkout,
    InvalidMessage,
    Outcome,
    ProviderResult,
    ProviderUnavailable,
    provider_for,
)
from tenancies.models import TenantAccount

logger = logging.getLogger(__name__)

State = Payment.State
IN_PROGRESS = (State.CREATED, State.PENDING)
# Forward only: a state may move to any state of a higher rank, never back.
RANK = {State.CREATED: 0, State.PENDING: 1, State.FAILED: 2, State.EXPIRED: 2, State.PAID: 3}

# PayFiP's operation (idOp) lives 15 minutes; its status is asked for after 20.
PAYFIP_STATUS_AFTER = datetime.timedelta(minutes=20)
# Lyra's payment page times out after 10 minutes by default (up to 30 with retries): a
# Systempay payment with no notification after 30 minutes will not get one.
SYSTEMPAY_PAGE_LIFETIME = datetime.timedelta(minutes=30)
# A payment never handed to the provider (the process died in between).
CREATED_LIFETIME = datetime.timedelta(minutes=30)
# Whatever the provider says (or fails to say), nothing stays pending longer than this.
PENDING_LIMIT = datetime.timedelta(hours=24)

PAYMENT_LABEL = "Paiement en ligne"
PAYMENT_CATEGORY = "paiement"


class PaymentRefused(Exception):
    """The tenant cannot start this payment; `message` says why, in French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AmountOutOfRange(PaymentRefused):
    pass


PROVIDER_UNAVAILABLE_MESSAGE = (
    "Le service de paiement ne répond pas. Aucun paiement n'a été effectué : "
    "réessayez dans quelques minutes."
)


# --- What may be paid --------------------------------------------------------------------


def payments_in_progress(account: TenantAccount) -> QuerySet[Payment]:
    """Payments started and not yet settled by the provider, newest first ("en cours")."""
    return account.payments.filter(state__in=IN_PROGRESS).order_by("-created_at", "-pk")


def payable_range(account: TenantAccount) -> tuple[int, int]:
    """(minimum, maximum) in cents: at most the balance less the payments in progress, at
    least the landlord's minimum, or the whole maximum when it is lower. (0, 0): nothing to pay."""
    in_progress = payments_in_progress(account).aggregate(total=Sum("amount_cents"))["total"]
    maximum = max(account.balance_cents - (in_progress or 0), 0)
    # A minimum of 0 in the admin means "no minimum": one cent, never a payment of nothing.
    return min(max(account.landlord.min_payment_cents, 1), maximum), maximum


def provider_config(landlord: Landlord) -> PaymentProvider | None:
    """The landlord's provider, when online payment is open."""
    return PaymentProvider.objects.filter(landlord=landlord, is_active=True).first()


# --- Events and state changes ------------------------------------------------------------


def record_event(payment, kind, *, landlord=None, fields=None, result="") -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        landlord=landlord or payment.account.landlord,
        kind=kind,
        fields=_storable(fields or {}),
        result=result[:300],
    )


def _storable(fields: dict) -> dict:
    """A bounded copy of what a provider sent (anyone may post to the notification URL)."""
    return {str(k)[:64]: str(v)[:300] for k, v in list(fields.items())[:100]}


def _move(payment: Payment, new_state: str, reason: str) -> bool:
    if RANK[new_state] <= RANK[payment.state]:
        return False
    old_state = payment.state
    payment.state = new_state
    record_event(
        payment, PaymentEvent.Kind.STATE_CHANGED, result=f"{old_state} → {new_state} : {reason}"
    )
    return True


def mark_pending(payment: Payment, checkout: Checkout) -> bool:
    if not _move(payment, State.PENDING, "envoyé au prestataire"):
        return False
    payment.provider_transaction_id = checkout.provider_transaction_id
    payment.save(update_fields=["state", "provider_transaction_id", "updated_at"])
    return True


def mark_paid(payment: Payment, reason: str, provider_transaction_id: str = "") -> bool:
    """Paid: the ledger entry (the balance drops at once) and the email, in this transaction."""
    if not _move(payment, State.PAID, reason):
        return False
    payment.confirmed_at = timezone.now()
    # The provider's own id for the transaction that paid (Lyra: vads_trans_uuid).
    payment.provider_transaction_id = provider_transaction_id or payment.provider_transaction_id
    payment.save(update_fields=["state", "confirmed_at", "provider_transaction_id", "updated_at"])
    confirmed_on = timezone.localdate(payment.confirmed_at)
    # The ERP posts the payment later under the same reference: the import's upsert
    # (account + reference) finds this line instead of adding a second one.
    LedgerEntry.objects.get_or_create(
        account=payment.account,
        reference=payment.reference,
        defaults={
            "date": confirmed_on,
            "label": PAYMENT_LABEL,
            "kind": LedgerEntry.Kind.PAYMENT,
            "amount_cents": -payment.amount_cents,
            "category": PAYMENT_CATEGORY,
        },
    )
    if payment.user and payment.user.email:
        send_templated_email(
            landlord=payment.account.landlord,
            to=payment.user.email,
            template="payments/confirmed",
            context={
                "payment": payment,
                "amount": format_euros(payment.amount_cents),
                "confirmed_at": timezone.localtime(payment.confirmed_at),
            },
        )
    return True


def mark_failed(payment: Payment, reason: str) -> bool:
    if not _move(payment, State.FAILED, reason):
        return False
    payment.save(update_fields=["state", "updated_at"])
    return True


def mark_expired(payment: Payment, reason: str) -> bool:
    if not _move(payment, State.EXPIRED, reason):
        return False
    payment.save(update_fields=["state", "updated_at"])
    return True


def _locked(payment_id: int) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("account__landlord", "user")
        .get(pk=payment_id)
    )


# --- Starting a payment ------------------------------------------------------------------


def create_payment(account: TenantAccount, user, amount_cents: int) -> Payment:
    """A new payment of `amount_cents`, checked against the range under the account's row
    lock, so that two tabs paying the whole balance at once cannot both start (rule 4)."""
    if provider_config(account.landlord) is None:
        raise PaymentRefused("Le paiement en ligne n'est pas ouvert pour le moment.")
    with transaction.atomic():
        account = (
            TenantAccount.objects.select_for_update(of=("self",))
            .select_related("landlord")
            .get(pk=account.pk)
        )
        minimum, maximum = payable_range(account)
        if maximum == 0:
            raise AmountOutOfRange("Vous n'avez rien à payer sur ce compte.")
        if not minimum <= amount_cents <= maximum:
            raise AmountOutOfRange(range_message(minimum, maximum))
        payment = Payment.objects.create(
            account=account,
            user=user,
            amount_cents=amount_cents,
            backend=provider_config(account.landlord).backend,
        )
        record_event(payment, PaymentEvent.Kind.CREATED, result=format_euros(amount_cents))
    return payment


def range_message(minimum: int, maximum: int) -> str:
    if minimum == maximum:
        return f"Le montant doit être de {format_euros(maximum)}."
    return f"Le montant doit être compris entre {format_euros(minimum)} et {format_euros(maximum)}."


def begin_checkout(
    payment: Payment, *, portal_url: str, return_url: str, notification_url: str
) -> Checkout:
    """Ask the provider for its payment page. Unreachable: the payment fails at once (rule 6),
    so nothing is left counted as "en cours", and ProviderUnavailable tells the view.

    No lock is held while calling the provider (PayFiP is a network call)."""
    config = PaymentProvider.objects.get(landlord_id=payment.account.landlord_id)
    provider = provider_for(config, portal_url)
    try:
        checkout = provider.start(payment, return_url=return_url, notification_url=notification_url)
    except ProviderUnavailable as exc:
        logger.warning("Payment %s: provider unavailable at start (%s)", payment.reference, exc)
        with transaction.atomic():
            payment = _locked(payment.pk)
            record_event(payment, PaymentEvent.Kind.START_FAILED, result=str(exc))
            mark_failed(payment, "prestataire injoignable au départ")
        raise
    with transaction.atomic():
        payment = _locked(payment.pk)
        record_event(
            payment,
            PaymentEvent.Kind.STARTED,
            fields=dict(checkout.fields) | {"url": checkout.url},
            result=checkout.provider_transaction_id,
        )
        mark_pending(payment, checkout)
    return checkout


# --- Provider messages -------------------------------------------------------------------


def result_problem(config: PaymentProvider, payment: Payment, result: ProviderResult) -> str:
    """Why a verified message still cannot apply to this payment ("" when it can; rule 2)."""
    confirms = result.outcome == Outcome.PAID
    if (confirms or result.shop_id) and result.shop_id != config.shop_id:
        return f"shop id {result.shop_id!r}, expected {config.shop_id!r}"
    if (confirms or result.mode) and result.mode != config.mode:
        return f"mode {result.mode!r}, expected {config.mode!r}"
    if result.mode == PaymentProvider.Mode.TEST and not settings.PAYMENT_TEST_MODE:
        return "TEST mode, refused on this deployment (PAYMENT_TEST_MODE is off)"
    if (
        confirms or result.amount_cents is not None
    ) and result.amount_cents != payment.amount_cents:
        return f"amount {result.amount_cents}, expected {payment.amount_cents}"
    if (confirms or result.currency) and result.currency != payment.currency:
        return f"currency {result.currency!r}, expected {payment.currency!r}"
    return ""


def apply_result(payment_id: int, result: ProviderResult, kind: str) -> Payment:
    """Record what the provider said and move the payment accordingly, under its row lock:
    the same message received several times, even at once, credits the account once."""
    with transaction.atomic():
        payment = _locked(payment_id)
        record_event(
            payment, kind, fields=result.fields, result=f"{result.outcome}: {result.message}"
        )
        if result.outcome == Outcome.PAID:
            mark_paid(payment, result.message, result.provider_transaction_id)
        elif result.outcome == Outcome.FAILED:
            mark_failed(payment, result.message)
        elif result.outcome == Outcome.EXPIRED:
            mark_expired(payment, result.message)
    return payment


@dataclass
class NotificationReply:
    accepted: bool
    reason: str = ""
    # Not a message of the provider at all (no valid signature, unknown PayFiP operation):
    # the view slows down the address that sends such messages.
    forged: bool = False


def receive_notification(landlord: Landlord, data: dict[str, str]) -> NotificationReply:
    """A provider's server-to-server notification to this landlord's portal (rules 1-3)."""
    config = PaymentProvider.objects.filter(landlord=landlord).first()
    if config is None:
        return _refuse(landlord, None, data, "no payment provider configured")
    try:
        result = provider_for(config).parse_notification(data)
    except InvalidMessage as exc:
        reply = _refuse(landlord, None, data, str(exc))
        reply.forged = True
        return reply
    except ProviderUnavailable as exc:
        # PayFiP: the status request failed; the reconciliation will ask again.
        logger.warning("Payment notification for %s: status request failed (%s)", landlord, exc)
        return NotificationReply(accepted=False, reason="status request failed")
    payment = _find_payment(landlord, result)
    if payment is None:
        return _refuse(landlord, None, result.fields or data, "unknown payment")
    problem = result_problem(config, payment, result)
    if problem:
        return _refuse(landlord, payment, result.fields, problem)
    apply_result(payment.pk, result, PaymentEvent.Kind.NOTIFICATION)
    return NotificationReply(accepted=True)


def _find_payment(landlord: Landlord, result: ProviderResult) -> Payment | None:
    payments = Payment.objects.filter(account__landlord=landlord)
    if result.reference:
        return payments.filter(reference=result.reference).first()
    if result.provider_transaction_id:
        return payments.filter(provider_transaction_id=result.provider_transaction_id).first()
    return None


def _refuse(landlord, payment, fields, reason) -> NotificationReply:
    # Names only; the message itself (no secret in it) goes to the event row.
    logger.warning(
        "Payment notification refused for %s (payment %s): %s",
        landlord.slug,
        payment.reference if payment else "unknown",
        reason,
    )
    record_event(
        payment,
        PaymentEvent.Kind.REFUSED_MESSAGE,
        landlord=landlord,
        fields=fields,
        result=reason,
    )
    return NotificationReply(accepted=False, reason=reason)


# --- Reconciliation ----------------------------------------------------------------------


@dataclass
class ReconcileReport:
    paid: int = 0
    failed: int = 0
    expired: int = 0
    still_pending: int = 0


# Why the reconciliation expired a payment: the end of the state change event's result.
NEVER_SENT = "jamais transmis au prestataire"
NO_ANSWER = "aucune réponse du prestataire"
RECONCILIATION_REASONS = (NEVER_SENT, NO_ANSWER)


def reconciliation_events(landlord: Landlord) -> QuerySet[PaymentEvent]:
    """What the reconciliation did for this landlord, newest first: its status requests
    and the payments it expired (the staff's "Rapprochement" page)."""
    expired = Q()
    for reason in RECONCILIATION_REASONS:
        expired |= Q(kind=PaymentEvent.Kind.STATE_CHANGED, result__endswith=f" : {reason}")
    return (
        PaymentEvent.objects.filter(landlord=landlord, payment__isnull=False)
        .filter(expired | Q(kind=PaymentEvent.Kind.STATUS))
        .select_related("payment__account")
        .order_by("-created_at", "-pk")
    )


def is_reconciliation_event(event: PaymentEvent) -> bool:
    if event.kind == PaymentEvent.Kind.STATUS:
        return True
    return event.kind == PaymentEvent.Kind.STATE_CHANGED and event.result.endswith(
        tuple(f" : {reason}" for reason in RECONCILIATION_REASONS)
    )


def reconcile_pending(now: datetime.datetime | None = None) -> ReconcileReport:
    """Settle the payments left in progress (cron, every 5 minutes; rule 5).

    - never handed to the provider, after 30 minutes: expired;
    - PayFiP, after 20 minutes: PayFiP's status request decides (paid, failed, expired);
    - Systempay, after the payment page's lifetime (30 minutes) with no notification: the
      adapter cannot ask Lyra, so expired (a late notification would still credit it);
    - anything still pending after 24 hours: expired.
    """
    now = now or timezone.now()
    report = ReconcileReport()
    candidates = Payment.objects.filter(state__in=IN_PROGRESS).select_related("account__landlord")
    for payment in candidates.order_by("created_at"):
        age = now - payment.created_at
        if payment.state == State.CREATED:
            if age >= CREATED_LIFETIME:
                _expire(payment.pk, NEVER_SENT, report)
            else:
                report.still_pending += 1
            continue
        wait = (
            PAYFIP_STATUS_AFTER
            if payment.backend == PaymentProvider.Backend.PAYFIP
            else SYSTEMPAY_PAGE_LIFETIME
        )
        if age < wait:
            report.still_pending += 1
            continue
        payment = _ask_provider(payment)
        if payment.state == State.PENDING and (
            age >= PENDING_LIMIT or payment.backend != PaymentProvider.Backend.PAYFIP
        ):
            _expire(payment.pk, NO_ANSWER, report)
        elif payment.state == State.PENDING:
            report.still_pending += 1
        elif payment.state == State.PAID:
            report.paid += 1
        elif payment.state == State.FAILED:
            report.failed += 1
        else:
            report.expired += 1
    return report


def _ask_provider(payment: Payment) -> Payment:
    config = PaymentProvider.objects.filter(landlord_id=payment.account.landlord_id).first()
    if config is None:
        return payment
    try:
        result = provider_for(config).status(payment)
    except (ProviderUnavailable, InvalidMessage) as exc:
        logger.warning("Payment %s: status request failed (%s)", payment.reference, exc)
        return payment
    if result is None:
        return payment
    problem = result_problem(config, payment, result)
    if problem:
        _refuse(payment.account.landlord, payment, result.fields, problem)
        return payment
    return apply_result(payment.pk, result, PaymentEvent.Kind.STATUS)


def _expire(payment_id: int, reason: str, report: ReconcileReport) -> None:
    with transaction.atomic():
        payment = _locked(payment_id)
        if mark_expired(payment, reason):
            report.expired += 1


# --- Export to the ERP -------------------------------------------------------------------


def export_confirmed_payments(landlord: Landlord, channel: str) -> PaymentExport | None:
    """A new batch of the confirmed payments not yet exported (None when there are none).

    Under the landlord's row lock: two exports run one after the other, and the second finds
    nothing left, so each payment goes out exactly once."""
    with transaction.atomic():
        Landlord.objects.select_for_update().get(pk=landlord.pk)
        payments = list(
            Payment.objects.filter(account__landlord=landlord, state=State.PAID, export=None)
            .order_by("confirmed_at", "pk")
            .values_list("pk", flat=True)
        )
        if not payments:
            return None
        last = PaymentExport.objects.filter(landlord=landlord).aggregate(last=Max("number"))
        export = PaymentExport.objects.create(
            landlord=landlord, number=(last["last"] or 0) + 1, channel=channel
        )
        Payment.objects.filter(pk__in=payments).update(export=export)
        PaymentEvent.objects.bulk_create(
            PaymentEvent(
                payment_id=pk,
                landlord=landlord,
                kind=PaymentEvent.Kind.EXPORTED,
                result=f"lot {export.number} ({channel})",
            )
            for pk in payments
        )
    return export


def export_lines(export: PaymentExport) -> list[dict]:
    """The batch's payments as the ERP reads them (docs/payments.md)."""
    lines = []
    for payment in export.payments.select_related("account").order_by("confirmed_at", "pk"):
        confirmed = timezone.localtime(payment.confirmed_at)
        lines.append(
            {
                "lot": export.number,
                "compte": payment.account.number,
                "reference": payment.reference,
                "date": confirmed.date(),
                "heure": confirmed.time().replace(microsecond=0),
                "montant_cents": payment.amount_cents,
                "libelle": PAYMENT_LABEL,
                "prestataire": payment.backend,
                "transaction": payment.provider_transaction_id,
            }
        )
    return lines


# --- Integration tokens ------------------------------------------------------------------


def _secret_hash(secret: str) -> str:
    # The secret is 256 random bits: a plain hash is enough, no slow password hash needed.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_token(landlord: Landlord, name: str) -> tuple[ApiToken, str]:
    """A new token; the returned string is shown once and never stored."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        landlord=landlord, name=name, key_id=key_id, secret_hash=_secret_hash(secret)
    )
    return token, f"{key_id}.{secret}"


def authenticate_api_token(landlord: Landlord, presented: str) -> ApiToken | None:
    key_id, _, secret = presented.partition(".")
    token = ApiToken.objects.filter(landlord=landlord, key_id=key_id).first()
    # The same comparison whether or not the id exists.
    expected = token.secret_hash if token else _secret_hash(secrets.token_urlsafe(32))
    if not hmac.compare_digest(expected, _secret_hash(secret)) or token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
