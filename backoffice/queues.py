"""The lists the Tableau de bord counts: who is waiting for the agency."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from accounts import assistance
from accounts.models import Access
from core import throttle
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
    # Locks live in the shared cache: every login and account of the reach is asked, in
    # batches of keys.
    accesses = list(
        Access.objects.filter(signatory__lease__account__in=accounts).select_related(
            "user", "signatory__lease__account__agency"
        )
    )
    login_keys = {
        key: access
        for access in accesses
        for key in assistance.login_lock_keys(access.signatory.lease.account, access.user)
    }
    locked_logins = {}
    for key in throttle.locked_keys("login", list(login_keys)):
        access = login_keys[key]
        locked_logins[access.pk] = access
    for access in locked_logins.values():
        waiting.append(
            Waiting(
                access.signatory.lease.account,
                f"Connexion de {access.user.email} bloquée",
                None,
                "blocage",
            )
        )
    without_login = {
        assistance.account_lock_keys(account)[0]: account
        for account in accounts.filter(leases__signatories__access__isnull=True).distinct()
    }
    locked_signups = throttle.locked_keys("signup", list(without_login)) | (
        throttle.locked_keys("reset", list(without_login))
    )
    for key in sorted(locked_signups):
        waiting.append(
            Waiting(without_login[key], "Inscription bloquée après trop d'essais", None, "blocage")
        )
    far_future = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(waiting, key=lambda item: item.since or far_future)
