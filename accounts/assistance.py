"""What the landlord's staff may do for a tenant's login, each change journaled.

The espace agence's views call these rule functions after staff/access.py has found
the account in the staff member's reach; each change needs a reason and writes one
audit row (audit.record). Nothing here reveals a code or a password.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

import audit
from accounts import lockout
from accounts.letters import activation_letters_pdf
from accounts.models import Access, ActivationLetter
from core import throttle
from tenancies.models import Signatory, TenantAccount


class ReasonRequired(ValueError):
    """A change asked without saying why."""

    message = "Indiquez le motif de cette action : il est conservé dans le journal."


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(ReasonRequired.message)
    return reason


# Sign-in throttling keys a login by its identifiers at the landlord (accounts.lockout);
# sign-up and SMS reset key an account by "<landlord>:<account number>" (core.throttle).
def login_lock_keys(account: TenantAccount, user) -> list[str]:
    return lockout.login_keys(user, account.landlord)


def account_lock_keys(account: TenantAccount) -> list[str]:
    return [f"{account.landlord_id}:{account.number}"]


def login_locked_seconds(account: TenantAccount, user) -> int:
    return throttle.seconds_to_wait("login", login_lock_keys(account, user))


def signup_locked_seconds(account: TenantAccount) -> int:
    keys = account_lock_keys(account)
    return max(throttle.seconds_to_wait("signup", keys), throttle.seconds_to_wait("reset", keys))


def account_accesses(account: TenantAccount):
    """The logins of the account's signatories, with their people and emails."""
    return (
        Access.objects.filter(signatory__lease__account=account)
        .select_related("user", "signatory__lease")
        .prefetch_related("user__emailaddress_set")
        .order_by("signatory__lease__reference", "signatory__position")
    )


def is_activated(user) -> bool:
    return any(address.verified for address in user.emailaddress_set.all())


@transaction.atomic
def correct_mobile(request, signatory: Signatory, mobile_e164: str, reason: str) -> None:
    """The mobile on file for the signatory, as told by the tenant to their agency; the
    account's "Je ne connais pas ce numéro" report is cleared."""
    reason = _reason(reason)
    account = signatory.lease.account
    had = bool(signatory.mobile_phone)
    signatory.mobile_phone = mobile_e164
    signatory.save(update_fields=["mobile_phone"])
    TenantAccount.objects.filter(pk=account.pk).update(phone_unknown_reported_at=None)
    audit.record(
        "tenant.mobile_corrected",
        request=request,
        account=account,
        target=signatory,
        reason=reason,
        detail={"signataire": str(signatory), "mobile_precedent_connu": had},
    )


def print_activation_letters(request, account: TenantAccount, reason: str) -> bytes:
    """A letter with a new one-time code for each current signatory, as one PDF."""
    reason = _reason(reason)
    with transaction.atomic():
        pdf = activation_letters_pdf([account], request.user)
        TenantAccount.objects.filter(pk=account.pk).update(phone_unknown_reported_at=None)
        audit.record("tenant.letter_printed", request=request, account=account, reason=reason)
    return pdf


def resend_activation_email(request, account: TenantAccount, access: Access, reason: str) -> bool:
    """A new confirmation link to the login's unverified email; False if already activated."""
    reason = _reason(reason)
    address = EmailAddress.objects.filter(user=access.user, verified=False).first()
    if address is None:
        return False
    with transaction.atomic():
        address.send_confirmation(request)
        audit.record(
            "tenant.activation_email_resent",
            request=request,
            account=account,
            subject_user=access.user,
            reason=reason,
        )
    return True


def lift_locks(request, account: TenantAccount, access: Access | None, reason: str) -> None:
    """Forget the failed attempts that delay the login (or, without one, the sign-up)."""
    reason = _reason(reason)
    keys = account_lock_keys(account)
    throttle.clear("signup", keys)
    throttle.clear("reset", keys)
    if access is not None:
        lockout.lift_lock(request, access.user)
    audit.record(
        "tenant.lock_lifted",
        request=request,
        account=account,
        subject_user=access.user if access else None,
        reason=reason,
    )


@transaction.atomic
def close_access(request, account: TenantAccount, access: Access, reason: str) -> None:
    """The signatory's login no longer opens this account (their payments stay); a login
    left without any account is deactivated, which ends its sessions' use."""
    reason = _reason(reason)
    user = access.user
    detail: dict[str, str | bool] = {"signataire": str(access.signatory)}
    access.delete()
    if not user.accesses.exists() and not user.staff_memberships.exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        detail["connexion_desactivee"] = True
    audit.record(
        "tenant.access_closed",
        request=request,
        account=account,
        subject_user=user,
        reason=reason,
        detail=detail,
    )


def unused_letters(account_ids=None):
    """Letters posted and never used, for signatories still without a login."""
    letters = ActivationLetter.objects.filter(used_at__isnull=True, signatory__access__isnull=True)
    if account_ids is not None:
        letters = letters.filter(signatory__lease__account__in=account_ids)
    return letters.select_related("signatory__lease__account").order_by("created_at")
