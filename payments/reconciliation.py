"""Reconciliation: the payments left in progress are settled (rule 5, docs/payments.md)."""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from landlords.models import Landlord
from payments.lifecycle import (
    IN_PROGRESS,
    State,
    apply_result,
    locked_payment,
    mark_expired,
    refuse_result,
    result_problem,
)
from payments.models import Payment, PaymentEvent, PaymentProvider
from payments.providers import InvalidMessage, ProviderUnavailable, provider_for

logger = logging.getLogger(__name__)

# PayFiP's operation (idOp) lives 15 minutes; its status is asked for after 20.
PAYFIP_STATUS_AFTER = datetime.timedelta(minutes=20)
# Lyra's payment page times out after 10 minutes by default (up to 30 with retries): a
# Systempay payment with no notification after 30 minutes will not get one.
SYSTEMPAY_PAGE_LIFETIME = datetime.timedelta(minutes=30)
# A payment never handed to the provider (the process died in between).
CREATED_LIFETIME = datetime.timedelta(minutes=30)
# Whatever the provider says (or fails to say), nothing stays pending longer than this.
PENDING_LIMIT = datetime.timedelta(hours=24)


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
        refuse_result(payment.account.landlord, payment, result.fields, problem)
        return payment
    return apply_result(payment.pk, result, PaymentEvent.Kind.STATUS)


def _expire(payment_id: int, reason: str, report: ReconcileReport) -> None:
    with transaction.atomic():
        payment = locked_payment(payment_id)
        if mark_expired(payment, reason):
            report.expired += 1
