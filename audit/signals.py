"""Security events of tenants and staff, recorded from allauth's and Django's signals.

Nothing from the credentials is kept: a failed sign-in names the login concerned when
the identifier typed is a known email, or the account when it is a known account
number (for the journal, never shown to the person).
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import record
from tenancies.models import TenantAccount


def _kind(request):
    """Who was trying: staff on the espace agence host, a tenant elsewhere."""
    if request is None:
        return AuditEvent.ActorKind.SYSTEM
    if getattr(request, "is_backoffice", False):
        return AuditEvent.ActorKind.STAFF
    return AuditEvent.ActorKind.TENANT


def _subject(user):
    return {"subject_user": user, "actor": user}


@receiver(account_signals.user_logged_in)
def logged_in(sender, request, user, **kwargs):
    record("security.login", request=request, **_subject(user))


@receiver(auth_signals.user_logged_out)
def logged_out(sender, request, user, **kwargs):
    if user is not None and request is not None:
        record("security.logout", request=request, **_subject(user))


@receiver(auth_signals.user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or ""
    subject = get_user_model().objects.filter(email__iexact=email).first() if email else None
    # Where tenants sign in with their account number, the failure concerns that account.
    account = None
    if credentials.get("account_number") and credentials.get("landlord"):
        account = TenantAccount.objects.filter(
            landlord=credentials["landlord"], number=credentials["account_number"]
        ).first()
    record(
        "security.login_failed",
        request=request,
        subject_user=subject,
        account=account,
        actor_kind=_kind(request),
    )


@receiver(account_signals.password_changed)
def password_changed(sender, request, user, **kwargs):
    record("security.password_changed", request=request, **_subject(user))


@receiver(account_signals.password_reset)
def password_reset(sender, request, user, **kwargs):
    record("security.password_reset", request=request, **_subject(user))


@receiver(account_signals.email_changed)
def email_changed(sender, request, user, from_email_address=None, to_email_address=None, **kw):
    record("security.email_changed", request=request, **_subject(user))


@receiver(account_signals.email_confirmed)
def email_confirmed(sender, request, email_address, **kwargs):
    record("security.email_confirmed", request=request, subject_user=email_address.user)


@receiver(mfa_signals.authenticator_added)
def mfa_added(sender, request, user, authenticator, **kwargs):
    detail = {"type": authenticator.type}
    record("security.mfa_added", request=request, detail=detail, **_subject(user))


@receiver(mfa_signals.authenticator_removed)
def mfa_removed(sender, request, user, authenticator, **kwargs):
    detail = {"type": authenticator.type}
    record("security.mfa_removed", request=request, detail=detail, **_subject(user))


@receiver(mfa_signals.authenticator_reset)
def mfa_reset(sender, request, user, authenticator, **kwargs):
    detail = {"type": authenticator.type}
    record("security.mfa_reset", request=request, detail=detail, **_subject(user))


@receiver(mfa_signals.authentication_failed)
def mfa_failed(sender, request, user, authenticator=None, **kwargs):
    # The person is not signed in yet: they are the subject, not an authenticated actor.
    record("security.mfa_failed", request=request, subject_user=user, actor_kind=_kind(request))
