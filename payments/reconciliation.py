"""Reconciliation: the payments left in progress are settled (rule 5, docs/payments.md)."""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from billing.money import format_euros
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
from payments.providers import InvalidMessage, Outcome, ProviderUnavailable, provider_for

logger = logging.getLogger(__name__)

# PayFiP's operation (idOp) lives 15 minutes; its status is asked for after 20.
PAYFIP_STATUS_AFTER = datetime.timedelta(minutes=20)
# Lyra's payment page times out after 10 minutes by default (up to 30 with retries): a
# Systempay payment with no notification after 30 minutes will not get one.
SYSTEMPAY_PAGE_LIFETIME = datetime.timedelta(minutes=30)
# Lyra's REST API is asked about a Systempay payment from this age on, at each run: a paid
# answer credits it at once (its notification may be delayed for hours); any other answer
# is applied only once the payment page's lifetime is over (the tenant may still be on it).
SYSTEMPAY_STATUS_AFTER = datetime.timedelta(minutes=5)
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
    - Systempay, after 5 minutes: Lyra's REST API (Order/Get) is asked; paid: credited at
      once; after the payment page's lifetime (30 minutes) its answer decides (failed,
      expired, no transaction: expired; still running: pending). Without a REST password,
      or when Lyra does not answer, expired after 30 minutes (a late notification would
      still credit it);
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
        payfip = payment.backend == PaymentProvider.Backend.PAYFIP
        if age < (PAYFIP_STATUS_AFTER if payfip else SYSTEMPAY_STATUS_AFTER):
            report.still_pending += 1
            continue
        page_over = payfip or age >= SYSTEMPAY_PAGE_LIFETIME
        payment, answered = _ask_provider(payment, apply_any=page_over)
        if payment.state == State.PENDING and (
            age >= PENDING_LIMIT or (page_over and not payfip and not answered)
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


def _ask_provider(payment: Payment, *, apply_any: bool) -> tuple[Payment, bool]:
    """The provider's status request, applied (all of it when `apply_any`, else only a
    payment it says is paid); True when the provider answered."""
    config = PaymentProvider.objects.filter(landlord_id=payment.account.landlord_id).first()
    if config is None:
        return payment, False
    landlord = payment.account.landlord
    portal_url = landlord.public_url("") if landlord.primary_host else ""
    try:
        result = provider_for(config, portal_url).status(payment)
    except (ProviderUnavailable, InvalidMessage) as exc:
        logger.warning("Payment %s: status request failed (%s)", payment.reference, exc)
        return payment, False
    if result is None:
        return payment, False
    if not apply_any and result.outcome != Outcome.PAID:
        return payment, True
    problem = result_problem(config, payment, result)
    if problem:
        refuse_result(landlord, payment, result.fields, problem)
        return payment, False
    return apply_result(payment.pk, result, PaymentEvent.Kind.STATUS), True


def _expire(payment_id: int, reason: str, report: ReconcileReport) -> None:
    with transaction.atomic():
        payment = locked_payment(payment_id)
        if mark_expired(payment, reason):
            report.expired += 1


# --- What the tenant is told about a payment in progress ---------------------------------


def settled_by(payment: Payment, now: datetime.datetime) -> datetime.datetime:
    """When the reconciliation gives up on this payment at the latest, as it stands `now`:
    the provider's page lifetime, then (the provider still saying "en cours") 24 hours."""
    if payment.state == State.CREATED:
        return payment.created_at + CREATED_LIFETIME
    first = (
        PAYFIP_STATUS_AFTER
        if payment.backend == PaymentProvider.Backend.PAYFIP
        else SYSTEMPAY_PAGE_LIFETIME
    )
    if now < payment.created_at + first:
        return payment.created_at + first
    return payment.created_at + PENDING_LIMIT


def _moment(when: datetime.datetime, now: datetime.datetime) -> str:
    """ "à 10 h 02" today, "le 21/11/2026 à 10 h 02" another day (Europe/Paris)."""
    local, today = timezone.localtime(when), timezone.localdate(now)
    hour = f"à {local.hour} h {local.minute:02d}"
    return hour if local.date() == today else f"le {local:%d/%m/%Y} {hour}"


def pending_explanation(payment: Payment, now: datetime.datetime | None = None) -> str:
    """The sentence the tenant reads about a payment still "en cours" (issue 15)."""
    now = now or timezone.now()
    started, deadline = _moment(payment.created_at, now), _moment(settled_by(payment, now), now)
    return (
        f"Un paiement de {format_euros(payment.amount_cents)} commencé {started} attend la "
        f"confirmation de la banque ; s'il n'aboutit pas, il sera annulé {deadline} au plus tard."
    )
