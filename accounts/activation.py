"""Whether a new login must confirm its email before it works, and what waits for it.

A landlord with `email_activation` on (three of the four guides) opens the access when
the emailed link is opened. One with it off (Habitat Hauts-de-France: the SMS code proved
the mobile on file, "maintenant votre compte client est opérationnel") opens it at the
end of the sign-up; the email is confirmed later, and until then a password reset by
email waits (a stranger at a mistyped address must not be able to take the access over).

allauth's ACCOUNT_EMAIL_VERIFICATION is one setting for the whole deployment: the
adapter's login stage asks `required` for the host's landlord (accounts/adapter.py).
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse

import audit
from accounts.models import User
from core import allauth_bridge
from landlords import scope
from landlords.models import LoginIdentifier
from notifications.emails import send_templated_email

# The login that signed in with its email not confirmed yet, for "Renvoyer le lien" on the
# page that says so (the session belongs to this host's landlord).
PENDING_KEY = "activation_pending"


def required(request) -> bool:
    """Whether a login must confirm its email before signing in on this host (staff always)."""
    if getattr(request, "is_backoffice", False):
        return True
    landlord = scope.request_landlord(request)
    return landlord is None or landlord.email_activation


def unconfirmed_address(user: User) -> EmailAddress | None:
    """The login's own address, while it is not confirmed (a new address being changed
    to is not the login's yet)."""
    return EmailAddress.objects.filter(user=user, primary=True, verified=False).first()


def email_to_confirm(request) -> EmailAddress | None:
    """The address the signed-in tenant is asked to confirm, on a host where the access
    works before it is."""
    user = request.user
    if not user.is_authenticated or required(request):
        return None
    return unconfirmed_address(user)


def reset_waits(request, user: User) -> bool:
    """A reset link by email waits for the address to be confirmed (reset by SMS does not)."""
    return not required(request) and unconfirmed_address(user) is not None


def tell_reset_waits(request, user: User) -> None:
    """The email that answers a reset asked before the address was confirmed."""
    landlord = scope.request_landlord(request)
    by_sms = landlord.login_identifier == LoginIdentifier.ACCOUNT_NUMBER
    send_templated_email(
        landlord=landlord,
        to=user.email,
        template="accounts/reset_waits_for_confirmation",
        context={
            "user": user,
            "reset_by_sms_url": request.build_absolute_uri(reverse("password_reset_by_sms"))
            if by_sms
            else "",
        },
    )


def pending_user(request) -> User | None:
    """The login that signed in before confirming its email, in this session."""
    pk = request.session.get(PENDING_KEY)
    return User.objects.filter(pk=pk, is_active=True).first() if pk else None


def masked(email: str) -> str:
    """ "jean.dupond@exemple.com" → "j•••••••••@exemple.com": recognisable, not readable."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}{'•' * max(len(name) - 1, 3)}@{domain}"


def resend_link(request, user: User) -> bool:
    """A new link to the login's unconfirmed address, for this host's landlord.

    False when none was sent: at most one link every 3 minutes per address (allauth's limit,
    shared with the link sent at each sign-in), or the address is confirmed already.
    """
    address = unconfirmed_address(user)
    if address is None:
        return False
    if not allauth_bridge.consume_email_verification_rate_limit(request, address.email):
        return False
    with transaction.atomic():
        address.send_confirmation(request)
        audit.record(
            "security.activation_link_resent", request=request, actor=user, subject_user=user
        )
    return True


class Kind:
    """What opening a confirmation link does, for the page's title and words."""

    ACTIVATION = "activation"
    LATER_CONFIRMATION = "later_confirmation"
    NEW_ADDRESS = "new_address"


def confirmation_kind(request, address: EmailAddress) -> str:
    if (
        EmailAddress.objects.filter(user=address.user, verified=True)
        .exclude(pk=address.pk)
        .exists()
    ):
        return Kind.NEW_ADDRESS
    if not required(request):
        return Kind.LATER_CONFIRMATION
    return Kind.ACTIVATION
