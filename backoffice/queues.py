"""The lists the Tableau de bord counts: who is waiting for the agency."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from accounts import assistance
from accounts.models import Access
from staff.access import visible_accounts


@dataclass
class Waiting:
    account: object
    why: str
    since: datetime.datetime | None
    action: str  # the anchor of the action on the Fiche locataire


def never_activated(member):
    """Accounts with a login whose email was never confirmed (sign-up not finished)."""
    unverified = Access.objects.filter(
        signatory__lease__account=OuterRef("pk"), user__emailaddress__verified=False
    )
    return visible_accounts(member).filter(Exists(unverified))


def to_unblock(member) -> list[Waiting]:
    """Tenants who said "Je ne connais pas ce numéro", who are locked out, or whose
    activation letter was posted and not used, oldest first."""
    accounts = visible_accounts(member).select_related("agency")
    waiting = [
        Waiting(
            account,
            "A signalé « Je ne connais pas ce numéro »",
            account.phone_unknown_reported_at,
            "mobile",
        )
        for account in accounts.filter(phone_unknown_reported_at__isnull=False)
    ]
    for letter in assistance.unused_letters(accounts.values("pk")):
        account = letter.signatory.lease.account
        waiting.append(
            Waiting(
                account,
                f"Courrier d'activation envoyé à {letter.signatory}, non utilisé",
                letter.created_at,
                "courrier",
            )
        )
    # Locks live in the cache: each account and login of the staff member's reach is asked.
    accesses = Access.objects.filter(signatory__lease__account__in=accounts).select_related(
        "user", "signatory__lease__account__agency"
    )
    locked = set()
    for access in accesses:
        account = access.signatory.lease.account
        if assistance.login_locked_seconds(account, access.user):
            locked.add(account.pk)
            waiting.append(
                Waiting(account, f"Connexion de {access.user.email} bloquée", None, "blocage")
            )
    for account in accounts.filter(leases__signatories__access__isnull=True).distinct():
        if account.pk not in locked and assistance.signup_locked_seconds(account):
            waiting.append(
                Waiting(account, "Inscription bloquée après trop d'essais", None, "blocage")
            )
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(waiting, key=lambda item: item.since or far_future)
