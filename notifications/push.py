"""Web Push notifications (docs/app.md): what is sent, to which devices, in whose name.

The hooks below are called by the rule functions of payments, documents and requests, in
the transaction of the event: each device's message is a task row written there
(django-tasks-db), delivered by `notifications.tasks.deliver_push`. The text names the
landlord and holds nothing sensitive: an amount only for a device where the tenant asked
for it (`PushSubscription.show_amounts`); never a name, an address or an account number.
"""

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.french import de
from notifications.models import PushSubscription
from notifications.tasks import deliver_push
from notifications.vapid import public_key_of

if TYPE_CHECKING:
    from landlords.models import Landlord


def enabled() -> bool:
    """Whether this deployment holds VAPID keys (VAPID_PRIVATE_KEY)."""
    return bool(settings.VAPID_PRIVATE_KEY)


def public_key() -> str:
    """The application server key browsers subscribe with (base64url, uncompressed P-256)."""
    return _public_key_for(settings.VAPID_PRIVATE_KEY)


@cache
def _public_key_for(private_key: str) -> str:
    return public_key_of(private_key)


def euros(cents: int) -> str:
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{'-' if cents < 0 else ''}{grouped},{rest:02d}\u00a0€"


def _path(name: str, *args) -> str:
    # Also sent from the espace agence and the tasks: the link is the tenants' portal's.
    return reverse(name, args=args, urlconf=settings.ROOT_URLCONF)


def send(
    landlord: "Landlord",
    users: Iterable,
    *,
    title: str,
    body: str,
    url: str,
    tag: str,
    body_with_amount: str = "",
) -> int:
    """Queue the message for every device of `users` at `landlord`; how many were queued."""
    if not enabled():
        return 0
    user_ids = [user.pk for user in users if user is not None]
    queued = 0
    for subscription in PushSubscription.objects.filter(landlord=landlord, user_id__in=user_ids):
        _queue(
            subscription,
            title=title,
            body=body,
            body_with_amount=body_with_amount,
            url=url,
            tag=tag,
        )
        queued += 1
    return queued


def _queue(
    subscription: PushSubscription,
    *,
    title: str,
    body: str,
    body_with_amount: str,
    url: str,
    tag: str,
) -> None:
    """One device's message, as a task row (in the caller's transaction)."""
    text = body_with_amount if subscription.show_amounts and body_with_amount else body
    deliver_push.enqueue(
        subscription_id=subscription.pk,
        message={"title": title, "body": text, "url": url, "tag": tag},
    )


# --- The events (one-line hooks in the rule functions) -----------------------------------


def payment_confirmed(payment) -> int:
    landlord = payment.account.landlord
    where = f"Votre compte locataire {de(landlord.name)}"
    return send(
        landlord,
        [payment.user],
        title="Paiement accepté",
        body=f"{where} a bien reçu votre paiement en ligne.",
        body_with_amount=(
            f"{where} a bien reçu votre paiement en ligne de {euros(payment.amount_cents)}."
        ),
        url=_path("dashboard"),
        tag=f"paiement-{payment.pk}",
    )


def payment_refused(payment) -> int:
    landlord = payment.account.landlord
    return send(
        landlord,
        [payment.user],
        title="Paiement refusé",
        body=(
            f"Votre paiement en ligne à {landlord.name} n'a pas abouti : "
            "rien n'a été prélevé. Vous pouvez réessayer."
        ),
        url=_path("dashboard"),
        tag=f"paiement-{payment.pk}",
    )


def notice_available(notice) -> int:
    return notices_available([notice])


def notices_available(notices) -> int:
    """A new notice for each account of `notices` (the month's generation stores them a
    batch at a time): two queries for the whole batch, none without VAPID keys."""
    if not enabled() or not notices:
        return 0
    users: dict[int, list[int]] = {}
    for account_id, user_id in (
        get_user_model()
        .objects.filter(
            accesses__signatory__lease__account__in=[notice.account_id for notice in notices]
        )
        .values_list("accesses__signatory__lease__account", "pk")
    ):
        users.setdefault(account_id, []).append(user_id)
    landlords = {notice.account.landlord_id: notice.account.landlord for notice in notices}
    devices: dict[tuple[int, int], list[PushSubscription]] = {}
    for subscription in PushSubscription.objects.filter(
        landlord__in=list(landlords), user_id__in={u for ids in users.values() for u in ids}
    ):
        devices.setdefault((subscription.landlord_id, subscription.user_id), []).append(
            subscription
        )
    queued = 0
    for notice in notices:
        account = notice.account
        landlord = landlords[account.landlord_id]
        text = f"Un nouvel avis d'échéance {de(landlord.name)} est disponible dans Mes documents."
        with_amount = (
            ""
            if notice.amount_due_cents is None
            else text.replace(
                " est disponible", f" ({euros(notice.amount_due_cents)}) est disponible"
            )
        )
        for user_id in dict.fromkeys(users.get(account.pk, [])):
            for subscription in devices.get((landlord.pk, user_id), []):
                _queue(
                    subscription,
                    title="Nouvel avis d'échéance",
                    body=text,
                    body_with_amount=with_amount,
                    url=_path("documents", account.pk),
                    tag=f"avis-{account.pk}-{notice.period:%Y-%m}",
                )
                queued += 1
    return queued


def request_updated(request, what: str) -> int:
    """`what`: "answer" (a message from the agency) or "status" (a new status)."""
    landlord = request.account.landlord
    title = "Réponse à votre demande" if what == "answer" else "Votre demande avance"
    body = (
        f"L'agence {de(landlord.name)} a répondu à votre demande."
        if what == "answer"
        else f"Votre demande à {landlord.name} a changé de statut."
    )
    return send(
        landlord,
        [request.author],
        title=title,
        body=body,
        url=_path("request_detail", request.public_id),
        tag=f"demande-{request.public_id}",
    )


def due_reminder(subscription: PushSubscription, account, due_date, amount_cents: int) -> None:
    """Three days before `due_date` (notifications.reminders decides when)."""
    landlord = account.landlord
    amount = f" ({euros(amount_cents)})" if subscription.show_amounts else ""
    body = f"Votre échéance {de(landlord.name)}{amount} est le {due_date:%d/%m/%Y}."
    deliver_push.enqueue(
        subscription_id=subscription.pk,
        message={
            "title": "Échéance dans 3 jours",
            "body": body,
            "url": _path("dashboard"),
            "tag": f"echeance-{account.pk}-{due_date:%Y-%m-%d}",
        },
    )
