"""Sign-in throttling that slows attackers down without locking the real tenant out.

CNIL délibération 2022-100 (temporisation, never a permanent block) and OWASP's
"device cookies":

- **per identifier** (the landlord and the email or account number typed): 5 free
  failures, then a delay of 30 s doubling at each failure, at most an hour. Only
  browsers that are not known for this login count here and are held by it.
- **per known browser**: a browser in which this login signed in successfully before
  carries a device cookie (signed with Django's signing, bound to this landlord's
  host and to the login, valid 90 days). It is not held by the per-identifier lock,
  only by its own failures (the same 5 free, then the same delays). allauth's own
  per-identifier limit is keyed the same way (`AccountAdapter`).
- **per client address**: 50 free failures, then the same delays, for every browser.
- When the per-identifier lock starts, each owner of the login is told by one email
  ("Des tentatives de connexion ont échoué…"), sent again only after the lock was
  lifted (a password reset, a successful sign-in from a browser the lock applies to,
  or 24 hours without failures).
- A password reset (by email or by SMS) lifts the lock on every identifier of the login.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from accounts import tokens
from accounts.models import User
from core import throttle
from core.allauth_bridge import cached_email_addresses, ratelimit
from core.client import client_ip
from landlords import scope
from landlords.models import LoginIdentifier
from notifications.emails import send_templated_email

ADDRESS_FREE_ATTEMPTS = 50
DEVICE_COOKIE = "appareil_connu"
DEVICE_MAX_AGE = 90 * 24 * 3600
# A shared computer may know a few logins' identifiers; the oldest are forgotten first.
DEVICE_MAX_IDENTIFIERS = 10


def identifier_key(landlord, login: str) -> str:
    """The per-identifier key: the landlord and the identifier, spaces and case ignored."""
    return f"{getattr(landlord, 'pk', '-')}:{''.join(login.split()).lower()}"


def login_keys(user: User, landlord) -> list[str]:
    """Every identifier this login may type on this landlord's host."""
    if landlord is not None and landlord.login_identifier == LoginIdentifier.ACCOUNT_NUMBER:
        numbers = user.accounts().filter(landlord=landlord).values_list("number", flat=True)
        return sorted({identifier_key(landlord, number) for number in numbers})
    addresses = cached_email_addresses(user)
    if addresses is None:
        addresses = EmailAddress.objects.filter(user=user)
    emails = {user.email, *(address.email for address in addresses)}
    return sorted({identifier_key(landlord, email) for email in emails if email})


# Device cookies


def _digest(key: str) -> str:
    # The cookie names no identifier: only a keyed hash of it.
    return salted_hmac("accounts.lockout.device", key, algorithm="sha256").hexdigest()[:32]


def _salt(request) -> str:
    return f"accounts.lockout.device:{scope.request_scope(request)}"


def _device(request) -> dict | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        device = signing.loads(raw, salt=_salt(request), max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    if (
        not isinstance(device, dict)
        or not isinstance(device.get("id"), str)
        or not isinstance(device.get("logins"), list)
    ):
        return None
    return device


def _device_key(request, key: str) -> str | None:
    """This browser's own key for `key` when it is known for that login, else None."""
    device = _device(request)
    if device and _digest(key) in device["logins"]:
        return f"{key}:{device['id']}"
    return None


def remember_device(request, response, user: User) -> None:
    """After a successful sign-in: this browser is known for this login, on this host."""
    keys = login_keys(user, scope.request_landlord(request))
    if not keys or scope.request_scope(request) == scope.NO_SCOPE:
        return
    device = _device(request) or {"id": secrets.token_urlsafe(12), "logins": []}
    logins = [digest for digest in device["logins"] if digest not in map(_digest, keys)]
    logins = (logins + [_digest(key) for key in keys])[-DEVICE_MAX_IDENTIFIERS:]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"id": device["id"], "logins": logins}, salt=_salt(request)),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def allauth_key(request, login: str) -> str:
    """The key of allauth's own per-identifier limit: this browser's when it is known."""
    key = identifier_key(scope.request_landlord(request), login)
    return _device_key(request, key) or key


# The sign-in form's checks


def seconds_to_wait(request, login: str) -> int:
    key = identifier_key(scope.request_landlord(request), login)
    own = _device_key(request, key)
    return throttle.longest_wait(
        [("login-device", own) if own else ("login", key), ("login-ip", client_ip(request))]
    )


def record_failure(request, login: str) -> None:
    landlord = scope.request_landlord(request)
    key = identifier_key(landlord, login)
    own = _device_key(request, key)
    if own:
        throttle.record_failure("login-device", [own])
    elif throttle.record_failure("login", [key]) >= throttle.FREE_ATTEMPTS and cache.add(
        _notice_key(key), True, throttle.FORGET_AFTER_SECONDS
    ):
        _tell_owners(request, landlord, login)
    # Tenants behind one shared address must not all be blocked by one of them.
    throttle.record_failure("login-ip", [client_ip(request)], free_attempts=ADDRESS_FREE_ATTEMPTS)


def record_success(request, login: str) -> None:
    """The counts this browser was held by start again; a known browser's success leaves
    the per-identifier lock in place (an attack going on elsewhere gains no fresh tries)."""
    key = identifier_key(scope.request_landlord(request), login)
    own = _device_key(request, key)
    if own:
        throttle.clear("login-device", [own])
    else:
        _lift([key])


def lift_lock(request, user: User) -> None:
    """Lift the lock on every identifier of `user` on the request's landlord: after a new
    password (reset by email or by SMS), or when the landlord's staff lift it."""
    landlord = scope.request_landlord(request)
    keys = login_keys(user, landlord)
    _lift(keys)
    for key in keys:
        # allauth's own per-identifier limit (AccountAdapter._get_login_attempts_cache_key).
        ratelimit.clear(request, app="allauth.account", action="login_failed", key=key)


def _lift(keys: list[str]) -> None:
    throttle.clear("login", keys, also=[_notice_key(key) for key in keys])


def _notice_key(key: str) -> str:
    return f"throttle-notice:login:{key}"


# The email to the owner


def owners(landlord, login: str) -> list[User]:
    """The logins of this landlord that `login` names (none on the platform host)."""
    if landlord is None:
        return []
    login = "".join(login.split())
    accesses = {"accesses__signatory__lease__account__landlord": landlord}
    if landlord.login_identifier == LoginIdentifier.ACCOUNT_NUMBER:
        accesses["accesses__signatory__lease__account__number"] = login
    else:
        accesses["email__iexact"] = login
    return list(User.objects.filter(is_active=True, **accesses).distinct())


def _tell_owners(request, landlord, login: str) -> None:
    if landlord is None:
        return
    by_number = landlord.login_identifier == LoginIdentifier.ACCOUNT_NUMBER
    # Sent to tenants: the page is on the tenants' host, even when the attempts were made
    # on the espace agence's.
    reset_url = tokens.tenant_link(
        request, landlord, "password_reset_by_sms" if by_number else "account_reset_password"
    )
    for user in owners(landlord, login):
        send_templated_email(
            landlord=landlord,
            to=user.email,
            template="accounts/login_locked",
            context={"user": user, "reset_url": reset_url},
        )
