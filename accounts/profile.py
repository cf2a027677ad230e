"""Mon compte > Mes infos: the tenant manages their own login.

Each function is one rule; views only call them. Email confirmation, password
notifications, sessions and two-step verification are allauth's, used through
their supported entry points.
"""

from typing import NamedTuple

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.contrib.auth import logout
from django.db import transaction

from accounts import codes
from accounts.models import MobileChange, NewsConsent, User
from accounts.sessions import purge_dead_sessions
from core import allauth_bridge, throttle
from landlords import scope
from landlords.models import Landlord
from notifications.emails import send_templated_email

THROTTLE_SCOPE = "profile-password"


def check_current_password(user: User, password: str) -> str | None:
    """None when `password` is the user's, else what to tell them, in French.

    Failures are throttled per user, so that a stolen session cannot be used to
    guess the password.
    """
    keys = [str(user.pk)]
    wait = throttle.seconds_to_wait(THROTTLE_SCOPE, keys)
    if wait:
        return throttle.wait_message(wait)
    if not user.check_password(password):
        throttle.record_failure(THROTTLE_SCOPE, keys)
        return "Mot de passe incorrect."
    throttle.clear(THROTTLE_SCOPE, keys)
    return None


# Email


def email_taken_by_someone_else(user: User, email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists()
    )


@transaction.atomic
def request_email_change(request, user: User, email: str) -> None:
    """Send a confirmation link to the new address; the login changes once it is opened.

    allauth keeps the new address unverified beside the current one and, on
    confirmation, makes it the login and tells the old address. An address another
    login uses gets the same reply and nothing happens (no enumeration).
    """
    if email_taken_by_someone_else(user, email):
        return
    address = EmailAddress.objects.get_new(user)
    if address is None or address.email != email:
        # Replaces any earlier pending address.
        address = EmailAddress.objects.add_new_email(request, user, email, send_verification=False)
    # At most one link every few minutes per address (allauth's limit): the last one stays valid.
    if not allauth_bridge.consume_email_verification_rate_limit(request, email):
        return
    adapter = get_adapter(request)
    confirmation = allauth_bridge.get_emailconfirmation_model().create(address)
    adapter.send_mail(
        "emails/accounts/email_change_confirmation",
        email,
        {
            "user": user,
            "new_email": email,
            "activate_url": adapter.get_email_confirmation_url(request, confirmation),
        },
    )


# Password


def change_password(request, user: User, password: str) -> None:
    """The new password; this session stays, every other one ends; the user is told by email."""
    allauth_bridge.change_password(user, password)
    allauth_bridge.finalize_password_change(request, user)
    allauth_bridge.end_other_sessions(request, user)


# Phones


def update_phones(landlord: Landlord, user: User, *, landline: str, mobile: str) -> bool:
    """The landline (and a removed mobile) are saved at once; a new mobile waits for
    the SMS code sent to it. True when a code was sent."""
    changed = []
    if landline != user.landline_phone:
        user.landline_phone = landline
        changed.append("landline_phone")
    if not mobile and user.mobile_phone:
        user.mobile_phone = ""
        changed.append("mobile_phone")
    if changed:
        user.save(update_fields=changed)
    if mobile and mobile != user.mobile_phone:
        send_mobile_code(landlord, user, mobile)
        return True
    return False


def send_mobile_code(landlord: Landlord, user: User, phone: str) -> None:
    """An SMS code to a new mobile, saved once the code is entered (codes.TooManyCodes)."""
    codes.issue(
        user.mobile_changes,
        to=phone,
        text=lambda code: (
            f"{landlord.name} : votre code pour confirmer ce numéro de mobile "
            f"est {code}. " + codes.WARNING
        ),
        phone=phone,
    )


def pending_mobile_change(user: User) -> MobileChange | None:
    return codes.pending(user.mobile_changes)


@transaction.atomic
def confirm_mobile(user: User, code: str) -> str | None:
    """Save the pending mobile if `code` is its SMS code.

    Returns None when accepted, else what to tell the tenant, in French.
    """
    consumed = codes.consume(user.mobile_changes, code)
    if isinstance(consumed, str):
        return consumed
    user.mobile_phone = consumed.phone
    user.save(update_fields=["mobile_phone"])
    return None


# Consent to the landlord's news


def news_consent(user: User, landlord: Landlord) -> NewsConsent | None:
    """The current consent: the latest change, or None if never asked."""
    return (
        NewsConsent.objects.filter(user=user, landlord=landlord)
        .order_by("-changed_at", "-pk")
        .first()
    )


def set_news_consent(user: User, landlord: Landlord, granted: bool) -> NewsConsent:
    """Each change is a new row, so the history and its dates are kept."""
    current = news_consent(user, landlord)
    if current is not None and current.granted == granted:
        return current
    return NewsConsent.objects.create(user=user, landlord=landlord, granted=granted)


# Signed-in devices

BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """ "Mozilla/5.0 (Linux; Android 14) … Chrome/124 …" → "Chrome sur Android"."""
    browser = next((name for marker, name in BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} sur {system}"
    return browser or system or "Appareil inconnu"


class Device(NamedTuple):
    session: UserSession
    name: str
    current: bool


def sessions_here(request, user: User) -> list[UserSession]:
    """The user's live sessions on this landlord's hosts (a session belongs to one landlord)."""
    # The rows of ended sessions first, in one statement (allauth checks each row it lists).
    purge_dead_sessions(user)
    sessions = UserSession.objects.purge_and_list(user)
    here = scope.sessions_here(request, [session.session_key for session in sessions])
    return [session for session in sessions if session.session_key in here]


def signed_in_devices(request, user: User) -> list[Device]:
    """The user's live sessions here, this one first, then the most recently seen."""
    devices = [
        Device(session, device_name(session.user_agent), session.is_current())
        for session in sessions_here(request, user)
    ]
    return sorted(devices, key=lambda d: (not d.current, -d.session.last_seen_at.timestamp()))


def end_session(request, user: User, session_id: int) -> bool:
    """Sign out one of the user's own sessions here (this one included). False if unknown."""
    session = next((s for s in sessions_here(request, user) if s.pk == session_id), None)
    if session is None:
        return False
    allauth_bridge.end_sessions(request, [session])
    return True


# Closing the access


@transaction.atomic
def close_access(request, user: User) -> None:
    """Close the access to this landlord's portal and sign out.

    With no account left at another landlord, the login itself is deleted (its
    accesses, consents and sessions go with it); otherwise only this landlord's
    accesses, terms and consents go, and the sessions on this landlord's hosts end:
    the login keeps working on the other landlords' portals.
    Tenancy records (accounts, leases, signatories, ledger) are the landlord's and stay:
    the signatory can sign up again later. The goodbye email is queued first, while
    the login still exists.
    """
    landlord = request.landlord
    elsewhere = user.accesses.exclude(signatory__lease__account__landlord=landlord).exists()
    send_templated_email(
        landlord=landlord,
        to=user.email,
        template="accounts/access_closed",
        context={"user": user, "login_kept": elsewhere},
    )
    if elsewhere:
        get_usersessions_adapter().end_sessions(sessions_here(request, user))
        user.accesses.filter(signatory__lease__account__landlord=landlord).delete()
        user.terms_acceptances.filter(landlord=landlord).delete()
        user.news_consents.filter(landlord=landlord).delete()
        logout(request)
        return
    get_usersessions_adapter().end_sessions(UserSession.objects.filter(user=user))
    logout(request)
    user.delete()
