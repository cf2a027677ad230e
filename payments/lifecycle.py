"""A payment's life: what may be paid, starting it, which message changes which state.

Each state change is one function (`mark_pending`, `mark_paid`, `mark_failed`,
`mark_expired`) that also writes a PaymentEvent; callers hold the payment's row lock in a
transaction. States only move forward (created → pending → failed/expired → paid): a
refusal arriving after an acceptance changes nothing, and a late acceptance of a payment we
had given up on still credits the account, since the money was taken.

Only the provider changes a payment's state (its server-to-server notification, or the
answer to our status request); the tenant's return page only reads it.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

import audit
from billing.models import LedgerEntry
from billing.money import format_euros
from billing.statement import account_balance_cents
from landlords.models import Landlord
from notifications import push
from notifications.emails import send_templated_email
from payments.models import Payment, PaymentEvent, PaymentProvider, Reversal
from payments.providers import (
    Checkout,
    InvalidMessage,
    Operation,
    Outcome,
    ProviderResult,
    ProviderUnavailable,
    provider_for,
)
from tenancies.models import TenantAccount

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

State = Payment.State
IN_PROGRESS = (State.CREATED, State.PENDING)
# Forward only: a state may move to any state of a higher rank, never back.
RANK: dict[str, int] = {
    State.CREATED: 0,
    State.PENDING: 1,
    State.FAILED: 2,
    State.EXPIRED: 2,
    State.PAID: 3,
}

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


def payable_range(
    account: TenantAccount,
    *,
    balance_cents: int | None = None,
    in_progress: list[Payment] | None = None,
) -> tuple[int, int]:
    """(minimum, maximum) in cents: at most the balance less the payments in progress, at
    least the landlord's minimum, or the whole maximum when it is lower. (0, 0): nothing to pay.

    A page that has already read the ledger's balance and the payments in progress passes
    them, and nothing is read again."""
    if in_progress is None:
        total = payments_in_progress(account).aggregate(total=Sum("amount_cents"))["total"]
    else:
        total = sum(payment.amount_cents for payment in in_progress)
    if balance_cents is None:
        balance_cents = account_balance_cents(account)
    maximum = max(balance_cents - (total or 0), 0)
    # A minimum of 0 in the admin means "no minimum": one cent, never a payment of nothing.
    return min(max(account.landlord.min_payment_cents, 1), maximum), maximum


def maximum_explanation(account: TenantAccount, maximum: int) -> str:
    """Why the most that may be paid is lower than what is owed ("" when it is not)."""
    in_progress = payments_in_progress(account).aggregate(total=Sum("amount_cents"))["total"]
    balance = account_balance_cents(account)
    if not in_progress or maximum >= balance:
        return ""
    count = payments_in_progress(account).count()
    which = (
        f"un paiement de {format_euros(in_progress)}"
        if count == 1
        else f"{count} paiements ({format_euros(in_progress)})"
    )
    return (
        f"Le maximum est de {format_euros(maximum)} : vous devez {format_euros(balance)}, "
        f"dont {which} en attente de confirmation."
    )


def provider_config(landlord: Landlord) -> PaymentProvider | None:
    """The landlord's provider, when online payment is open."""
    return PaymentProvider.objects.filter(landlord=landlord, is_active=True).first()


def payment_page_url(landlord: Landlord, portal_url: str) -> str:
    """The page of the landlord's provider where its tenants pay ("" when payment is closed)."""
    config = provider_config(landlord)
    return provider_for(config, portal_url).payment_page_url if config else ""


# --- Events and state changes ------------------------------------------------------------


def record_event(
    payment: Payment | None,
    kind: str,
    *,
    landlord: Landlord | None = None,
    fields: Mapping[str, object] | None = None,
    result: str = "",
) -> PaymentEvent:
    if landlord is None:
        if payment is None:
            raise ValueError("an event without a payment names its landlord")
        landlord = payment.account.landlord
    return PaymentEvent.objects.create(
        payment=payment,
        landlord=landlord,
        kind=kind,
        fields=_storable(fields or {}),
        result=result[:300],
    )


def _storable(fields: Mapping[str, object]) -> dict[str, str]:
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
    push.payment_confirmed(payment)
    return True


def mark_failed(payment: Payment, reason: str) -> bool:
    if not _move(payment, State.FAILED, reason):
        return False
    payment.save(update_fields=["state", "updated_at"])
    push.payment_refused(payment)
    return True


ABANDONED_REASON = "vads_trans_status=ABANDONED"


def was_abandoned(payment: Payment) -> bool:
    """The tenant left the provider's page ("Annuler"): the provider said so (Lyra)."""
    return (
        payment.state == State.FAILED
        and payment.events.filter(
            kind=PaymentEvent.Kind.STATE_CHANGED, result__endswith=ABANDONED_REASON
        ).exists()
    )


def mark_expired(payment: Payment, reason: str) -> bool:
    if not _move(payment, State.EXPIRED, reason):
        return False
    payment.save(update_fields=["state", "updated_at"])
    return True


def locked_payment(payment_id: int) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("account__landlord", "user")
        .get(pk=payment_id)
    )


# --- Starting a payment ------------------------------------------------------------------


def create_payment(account: TenantAccount, user: "User | None", amount_cents: int) -> Payment:
    """A new payment of `amount_cents`, checked against the range under the account's row
    lock, so that two tabs paying the whole balance at once cannot both start (rule 4)."""
    config = provider_config(account.landlord)
    if config is None:
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
            backend=config.backend,
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
            payment = locked_payment(payment.pk)
            record_event(payment, PaymentEvent.Kind.START_FAILED, result=str(exc))
            mark_failed(payment, "prestataire injoignable au départ")
        raise
    with transaction.atomic():
        payment = locked_payment(payment.pk)
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
        payment = locked_payment(payment_id)
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
    # Said back to the provider with the refusal (its back office shows the answer).
    answer: str = ""
    # Not a message of the provider at all (no valid signature, unknown PayFiP operation):
    # the view slows down the address that sends such messages.
    forged: bool = False


def receive_notification(landlord: Landlord, data: dict[str, str]) -> NotificationReply:
    """A provider's server-to-server notification to this landlord's portal (rules 1-3)."""
    config = PaymentProvider.objects.filter(landlord=landlord).first()
    if config is None:
        return refuse_result(landlord, None, data, "no payment provider configured")
    try:
        result = provider_for(config).parse_notification(data)
    except InvalidMessage as exc:
        reply = refuse_result(landlord, None, data, str(exc))
        reply.forged = True
        return reply
    except ProviderUnavailable as exc:
        # PayFiP: the status request failed; the reconciliation will ask again.
        logger.warning("Payment notification for %s: status request failed (%s)", landlord, exc)
        return NotificationReply(accepted=False, reason="status request failed")
    payment = _find_payment(landlord, result)
    if payment is None:
        reply = refuse_result(landlord, None, result.fields or data, "unknown payment")
        if result.operation == Operation.REFUND or result.cancels:
            _journal_refused_reversal(landlord, None, result, UNKNOWN_PAYMENT, reply)
        return reply
    if result.operation == Operation.REFUND or (result.cancels and payment.state == State.PAID):
        return receive_reversal(config, payment, result)
    problem = result_problem(config, payment, result)
    if problem:
        return refuse_result(landlord, payment, result.fields, problem)
    apply_result(payment.pk, result, PaymentEvent.Kind.NOTIFICATION)
    return NotificationReply(accepted=True)


def _find_payment(landlord: Landlord, result: ProviderResult) -> Payment | None:
    payments = Payment.objects.filter(account__landlord=landlord)
    if result.reference:
        return payments.filter(reference=result.reference).first()
    if result.provider_transaction_id:
        return payments.filter(provider_transaction_id=result.provider_transaction_id).first()
    return None


def refuse_result(
    landlord: Landlord, payment: Payment | None, fields: Mapping[str, object], reason: str
) -> NotificationReply:
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


# --- Money given back: refunds and cancellations after confirmation ----------------------

REFUND_LABEL = "Remboursement du paiement en ligne"
CANCELLATION_LABEL = "Annulation du paiement en ligne"
REVERSAL_CATEGORY = "remboursement"
UNKNOWN_PAYMENT = "Remboursement refusé : aucun paiement en ligne ne porte cette référence."
NOT_CONFIRMED = "Remboursement refusé : ce paiement n'a pas été confirmé, rien n'a été encaissé."
WRONG_AMOUNT = "Annulation refusée : le montant annoncé n'est pas celui du paiement ({amount})."
TOO_LARGE = (
    "Remboursement refusé : {amount} dépasse ce qui reste remboursable sur ce paiement "
    "({remaining})."
)
BAD_AMOUNT = "Remboursement refusé : montant invalide."


def reversed_cents(payment: Payment) -> int:
    total = payment.reversals.aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def reversal_problem(payment: Payment, result: ProviderResult, kind: str) -> str:
    """Why money cannot come back on this payment ("" when it can), in French: the portal
    never writes a refund it cannot match with what was paid."""
    if payment.state != State.PAID:
        return NOT_CONFIRMED
    amount = result.amount_cents
    if amount is None or amount <= 0:
        return BAD_AMOUNT
    if kind == Reversal.Kind.CANCELLATION and amount != payment.amount_cents:
        return WRONG_AMOUNT.format(amount=format_euros(payment.amount_cents))
    remaining = payment.amount_cents - reversed_cents(payment)
    if amount > remaining:
        return TOO_LARGE.format(amount=format_euros(amount), remaining=format_euros(remaining))
    return ""


def receive_reversal(
    config: PaymentProvider, payment: Payment, result: ProviderResult
) -> NotificationReply:
    """A refund (Lyra's CREDIT) or a cancellation after confirmation, verified like a payment
    (signature, shop, mode, currency), then matched with what was paid, under the payment's
    row lock: the same notification five times, or five at once, writes one ledger entry."""
    landlord = payment.account.landlord
    shop_problem = _shop_problem(config, result)
    if shop_problem:
        return refuse_result(landlord, payment, result.fields, shop_problem)
    kind = (
        Reversal.Kind.REFUND if result.operation == Operation.REFUND else Reversal.Kind.CANCELLATION
    )
    with transaction.atomic():
        payment = locked_payment(payment.pk)
        record_event(
            payment,
            PaymentEvent.Kind.NOTIFICATION,
            fields=result.fields,
            result=f"{kind}: {result.message}",
        )
        if result.outcome != Outcome.PAID and kind == Reversal.Kind.REFUND:
            # A refund refused or still waiting at the provider: no money came back.
            return NotificationReply(accepted=True)
        transaction_id = result.provider_transaction_id
        if payment.reversals.filter(kind=kind, provider_transaction_id=transaction_id).exists():
            return NotificationReply(accepted=True)  # the same notification again
        problem = reversal_problem(payment, result, kind)
        if not problem:
            _write_reversal(payment, kind, result)
            return NotificationReply(accepted=True)
    reply = refuse_result(landlord, payment, result.fields, problem)
    _journal_refused_reversal(landlord, payment, result, problem, reply)
    return reply


def _write_reversal(payment: Payment, kind: str, result: ProviderResult) -> Reversal | None:
    """The reversal, its ledger entry and the tenant's email, in the caller's transaction.
    None when another process wrote it first (the unique constraint decided)."""
    amount = int(result.amount_cents or 0)
    try:
        with transaction.atomic():
            reversal = Reversal.objects.create(
                payment=payment,
                kind=kind,
                amount_cents=amount,
                provider_transaction_id=result.provider_transaction_id,
            )
    except IntegrityError:
        return None
    label = REFUND_LABEL if kind == Reversal.Kind.REFUND else CANCELLATION_LABEL
    LedgerEntry.objects.create(
        account=payment.account,
        reference=reversal.reference,
        date=timezone.localdate(),
        label=f"{label} {payment.reference}",
        kind=LedgerEntry.Kind.REFUND,
        amount_cents=amount,
        category=REVERSAL_CATEGORY,
    )
    record_event(
        payment,
        PaymentEvent.Kind.REVERSAL,
        result=f"{reversal.get_kind_display()} {reversal.reference} : {format_euros(amount)}",
    )
    audit.record(
        "payments.reversal_recorded",
        landlord=payment.account.landlord,
        account=payment.account,
        target=reversal,
        detail={
            "paiement": payment.reference,
            "reference": reversal.reference,
            "type": reversal.kind,
            "montant_cents": amount,
        },
    )
    if payment.user and payment.user.email:
        send_templated_email(
            landlord=payment.account.landlord,
            to=payment.user.email,
            template="payments/reversed",
            context={
                "payment": payment,
                "reversal": reversal,
                "amount": format_euros(amount),
                "payment_amount": format_euros(payment.amount_cents),
                "cancellation": kind == Reversal.Kind.CANCELLATION,
            },
        )
    return reversal


def _shop_problem(config: PaymentProvider, result: ProviderResult) -> str:
    if result.shop_id != config.shop_id:
        return f"shop id {result.shop_id!r}, expected {config.shop_id!r}"
    if result.mode != config.mode:
        return f"mode {result.mode!r}, expected {config.mode!r}"
    if result.mode == PaymentProvider.Mode.TEST and not settings.PAYMENT_TEST_MODE:
        return "TEST mode, refused on this deployment (PAYMENT_TEST_MODE is off)"
    if result.currency != "EUR":
        return f"currency {result.currency!r}, expected 'EUR'"
    return ""


def _journal_refused_reversal(
    landlord: Landlord,
    payment: Payment | None,
    result: ProviderResult,
    problem: str,
    reply: NotificationReply,
) -> None:
    reply.answer = problem
    audit.record(
        "payments.reversal_refused",
        landlord=landlord,
        account=payment.account if payment else None,
        target=payment,
        reason=problem,
        detail={
            "paiement": result.reference,
            "transaction": result.provider_transaction_id,
            "montant_cents": result.amount_cents,
        },
    )
