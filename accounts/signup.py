"""Sign-up: the tenant proves they sign a current lease, then gets their own login.

Each function is one step of the journey; views only call them. The landlord's
rules (identity proof, anti-robot check, password rule) come from the Landlord row.
"""

import datetime
import hmac
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import codes

# Raised by send_phone_code; named here for the journeys that call it.
from accounts.codes import TooManyCodes as TooManyCodes
from accounts.models import Access, ActivationLetter, NewsConsent, TermsAcceptance, User
from landlords.models import Landlord
from notifications.emails import send_templated_email
from tenancies.models import Lease, Signatory, TenantAccount, identity_key

LETTER_CODE_LIFETIME = datetime.timedelta(days=60)
LETTER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# Where the sign-up in progress is kept, in a session bound to this host's landlord.
SESSION_KEY = "signup"


def current_signatories(landlord: Landlord, account_number: str) -> list[Signatory]:
    """The signatories of the account's current leases (one query, whether or not it exists)."""
    leases = Lease.objects.current().filter(
        account__landlord=landlord, account__number=account_number
    )
    return list(
        Signatory.objects.filter(lease__in=leases).select_related("lease__account", "access__user")
    )


def find_signatory(
    landlord: Landlord, account_number: str, last_name: str, first_name: str, birth: datetime.date
) -> Signatory | None:
    wanted = identity_key(last_name, first_name, birth)
    for signatory in current_signatories(landlord, account_number):
        if signatory.identity_key == wanted:
            return signatory
    return None


def has_login(signatory: Signatory) -> bool:
    return Access.objects.filter(signatory=signatory).exists()


def warn_existing_holder(landlord: Landlord, signatory: Signatory) -> None:
    """Someone proved the identity of a signatory who already has a login: tell them."""
    send_templated_email(
        landlord=landlord,
        to=signatory.access.user.email,
        template="accounts/signup_attempt_on_existing_access",
        context={"signatory": signatory},
    )


def decoy_mask(landlord: Landlord, account_number: str) -> str:
    """A stable, made-up mask for accounts without a known mobile, so none is revealed."""
    digest = salted_hmac("accounts.decoy", f"{landlord.pk}:{account_number}").hexdigest()
    return f"06*****{int(digest[:8], 16) % 100:02d}"


def signatory_with_phone(signatories: list[Signatory], typed_e164: str) -> Signatory | None:
    for signatory in signatories:
        if signatory.mobile_phone and hmac.compare_digest(signatory.mobile_phone, typed_e164):
            return signatory
    return None


def send_phone_code(landlord: Landlord, signatory: Signatory) -> None:
    """An SMS code to the signatory's mobile on file (raises codes.TooManyCodes)."""
    codes.issue(
        signatory.phone_codes,
        to=signatory.mobile_phone,
        text=lambda code: (
            f"{landlord.name} : votre code de vérification est {code}. " + codes.WARNING
        ),
    )


LETTER_CODE_EXPIRED = (
    "Ce code d'activation a expiré (il était valable jusqu'au {date}) : demandez un nouveau "
    "courrier à votre agence."
)
LETTER_CODE_USED = (
    "Ce code d'activation a déjà servi : il ne sert qu'une fois. Si vous avez déjà créé votre "
    "accès, connectez-vous ; sinon, demandez un nouveau courrier à votre agence."
)
WRONG_CODE = (
    "Ce code n'est pas le bon. Vérifiez-le : 6 chiffres reçus par SMS, ou les 10 caractères "
    "de votre courrier d'activation (par exemple ABCDE-23456)."
)


@transaction.atomic
def check_code(signatory: Signatory, code: str) -> str | None:
    """Accept the latest SMS code or an unused activation letter code, and consume it.

    Returns None when accepted, else what to tell the tenant, in French: a letter code
    that expired or was used is told apart from a mistyped one. (No exception: the count
    of failed attempts must be saved, not rolled back.)
    """
    now = timezone.now()
    for letter in ActivationLetter.objects.select_for_update().filter(signatory=signatory):
        if not codes.codes_match(code, letter.code_hash):
            continue
        if letter.used_at is not None:
            return LETTER_CODE_USED
        if letter.expires_at <= now:
            return LETTER_CODE_EXPIRED.format(
                date=timezone.localtime(letter.expires_at).strftime("%d/%m/%Y")
            )
        letter.used_at = now
        letter.save(update_fields=["used_at"])
        return None
    if not signatory.phone_codes.exists():
        # No SMS code was ever sent: what was typed is a mistyped letter code.
        return WRONG_CODE
    consumed = codes.consume(signatory.phone_codes, code)
    return consumed if isinstance(consumed, str) else None


def create_activation_letter(signatory: Signatory, staff_user) -> str:
    """A new letter code for the signatory; the clear code is returned once, for printing."""
    code = "".join(secrets.choice(LETTER_CODE_ALPHABET) for _ in range(10))
    ActivationLetter.objects.create(
        signatory=signatory,
        code_hash=codes.hash_code(code),
        created_by=staff_user,
        expires_at=timezone.now() + LETTER_CODE_LIFETIME,
    )
    return f"{code[:5]}-{code[5:]}"


def report_unknown_phone(account: TenantAccount) -> None:
    TenantAccount.objects.filter(pk=account.pk).update(phone_unknown_reported_at=timezone.now())


def email_is_taken(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


@transaction.atomic
def create_login(
    landlord: Landlord,
    signatory: Signatory,
    *,
    email: str,
    password_hash: str,
    news_consent: bool,
    landline_phone: str = "",
    mobile_phone: str = "",
) -> User:
    """The new login, its unverified email, its access to the lease and the terms accepted."""
    user = User.objects.create(
        email=email.lower(),
        password=password_hash,
        first_name=signatory.first_name,
        last_name=signatory.last_name,
        mobile_phone=mobile_phone,
        landline_phone=landline_phone,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    Access.objects.create(user=user, signatory=signatory)
    TermsAcceptance.objects.create(user=user, landlord=landlord, version=landlord.terms_version)
    NewsConsent.objects.create(user=user, landlord=landlord, granted=news_consent)
    return user


def add_access(user: User, signatory: Signatory, landlord: Landlord) -> Access:
    """A signed-in person proves another lease: one login, several accounts."""
    with transaction.atomic():
        access = Access.objects.create(user=user, signatory=signatory)
        if not TermsAcceptance.objects.filter(user=user, landlord=landlord).exists():
            TermsAcceptance.objects.create(
                user=user, landlord=landlord, version=landlord.terms_version
            )
    return access


def signup_session_expired(started_at: float) -> bool:
    return timezone.now().timestamp() - started_at > settings.SIGNUP_SESSION_SECONDS


def signup_state(request) -> dict | None:
    """The sign-up in progress in this session, or None (none, or expired)."""
    # The session itself belongs to this host's landlord (landlords.scope).
    state = request.session.get(SESSION_KEY)
    if not state or signup_session_expired(state["started"]):
        return None
    return state
