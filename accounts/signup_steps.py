"""The sign-up journey, step by step, for the portal's pages (accounts/views.py) and the
store apps' API (api/signup.py) alike: one set of rules, two ways of asking.

Each step reads what the tenant typed (already cleaned by the step's form) and the
sign-up in progress (`signup.signup_state`, in a session bound to this host's landlord),
and answers a `Step`: the next step's name, or what to tell the tenant. Throttling
(core.throttle), the identity checks and the codes are accounts.signup's.
"""

from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import activation, captcha, signup
from accounts.codes import TOO_MANY_CODES, TooManyCodes
from core import throttle
from core.allauth_bridge import complete_signup
from landlords.models import IdentityProof
from tenancies.models import Signatory

MISMATCH = (
    "Ces informations ne correspondent à aucun signataire d'un contrat de location en cours. "
    "Vérifiez-les sur votre avis d'échéance : nom et prénom tels qu'ils figurent sur votre "
    "contrat. Seuls les signataires du contrat de location peuvent créer un accès."
)
PHONE_MISMATCH = (
    "Ce numéro ne correspond pas à celui que nous connaissons. Si vous ne le "
    "reconnaissez pas, choisissez « Je ne connais pas ce numéro »."
)
INVALID_CODE = "Ce code n'est pas valable."


@dataclass
class Step:
    """The answer of a step: `next` (a step's URL name) or `error` (on `field`, or None
    for the whole form)."""

    next: str | None = None
    error: str = ""
    field: str | None = None


def start_state(request, account_number: str, signatory: Signatory | None = None) -> None:
    # What was typed in the later steps is kept for a tenant who came back to step 1.
    previous = signup.signup_state(request) or {}
    request.session.cycle_key()
    request.session[signup.SESSION_KEY] = {
        "started": timezone.now().timestamp(),
        "account": account_number,
        "signatory": signatory.pk if signatory else None,
        "proven": signatory is not None,
        "typed": previous.get("typed", {}),
    }


def save_state(request, **changes) -> None:
    request.session[signup.SESSION_KEY] = {**request.session[signup.SESSION_KEY], **changes}


def identity(request, cleaned: dict) -> Step:
    """Step 1: the account number (and, where the landlord asks, the names and birth date)."""
    landlord = request.landlord
    number = cleaned["account_number"]
    keys = [throttle.client_ip(request), f"{landlord.pk}:{number}"]
    wait = throttle.seconds_to_wait("signup", keys)
    if wait:
        return Step(error=throttle.wait_message(wait))
    if landlord.identity_proof != IdentityProof.SIGNATORY_DETAILS:
        start_state(request, number)
        return Step(
            next="signup_phone"
            if landlord.identity_proof == IdentityProof.PHONE_SMS
            else "signup_code"
        )
    found = signup.find_signatory(
        landlord, number, cleaned["last_name"], cleaned["first_name"], cleaned["birth_date"]
    )
    if found and not signup.has_login(found):
        throttle.clear("signup", keys[1:])
        start_state(request, number, found)
        return Step(next="signup_credentials")
    if found:
        signup.warn_existing_holder(landlord, found)
    throttle.record_failure("signup", keys)
    return Step(error=MISMATCH)


def phone_signatories(request, state: dict) -> list[Signatory]:
    """The account's signatories with a mobile on file."""
    return [
        s for s in signup.current_signatories(request.landlord, state["account"]) if s.mobile_phone
    ]


def phone(request, state: dict, typed_e164: str) -> Step:
    """The whole mobile on file, typed: an SMS code is sent to it."""
    landlord = request.landlord
    keys = [throttle.client_ip(request), f"{landlord.pk}:{state['account']}"]
    wait = throttle.seconds_to_wait("signup", keys)
    found = signup.signatory_with_phone(phone_signatories(request, state), typed_e164)
    if wait:
        return Step(error=throttle.wait_message(wait))
    if found and not signup.has_login(found):
        try:
            signup.send_phone_code(landlord, found)
        except TooManyCodes:
            return Step(error=TOO_MANY_CODES)
        # The tenant has just typed this number in full: the last step offers it back.
        save_state(request, signatory=found.pk, mobile=found.mobile_phone)
        return Step(next="signup_code")
    if found:
        signup.warn_existing_holder(landlord, found)
    throttle.record_failure("signup", keys)
    return Step(error=PHONE_MISMATCH, field="phone")


def code(request, state: dict, typed_code: str) -> Step:
    """The SMS code, or the code of the activation letter."""
    keys = [throttle.client_ip(request)]
    wait = throttle.seconds_to_wait("signup-code", keys)
    if wait:
        return Step(error=throttle.wait_message(wait))
    candidates = signup.current_signatories(request.landlord, state["account"])
    if state["signatory"]:
        candidates = [s for s in candidates if s.pk == state["signatory"]]
    refusal: str | None = INVALID_CODE
    for candidate in candidates:
        refusal = signup.check_code(candidate, typed_code)
        if refusal is None and not signup.has_login(candidate):
            save_state(request, signatory=candidate.pk, proven=True)
            return Step(next="signup_credentials")
    # Each code allows 5 tries; the address gets a little more room across codes.
    throttle.record_failure("signup-code", keys, free_attempts=15)
    return Step(error=refusal or INVALID_CODE, field="code")


def checked_mobile(state: dict) -> str:
    """The mobile the tenant typed in full at the phone step ("" if there was none)."""
    return state.get("mobile", "")


def proven_signatory(state: dict) -> Signatory | None:
    """The signatory proven at the earlier steps (None if an ERP import removed them)."""
    return Signatory.objects.select_related("lease__account").filter(pk=state["signatory"]).first()


def finish(request, signatory: Signatory, details: dict, news_consent: bool) -> HttpResponse:
    """Create the login and send the activation email, or say the same if the email is taken.

    Where the landlord does without activation by email, the new login is signed in at once
    and the email asks only to confirm the address.
    """
    del request.session[signup.SESSION_KEY]
    captcha.forget(request, captcha.SIGNUP)
    if signup.has_login(signatory):
        response = redirect("account_email_verification_sent")
    elif signup.email_is_taken(details["email"]):
        # Same reply as a new sign-up; the owner of the address is told by email.
        get_adapter(request).send_account_already_exists_mail(details["email"])
        response = redirect("account_email_verification_sent")
    else:
        # One transaction: the login and the task that sends its activation email.
        with transaction.atomic():
            user = signup.create_login(
                request.landlord, signatory, news_consent=news_consent, **details
            )
            done = "dashboard" if activation.required(request) else "signup_operational"
            response = complete_signup(request, user=user, redirect_url=reverse(done))
    # Set last: the sign-in stage may have renewed the session.
    request.session.pop(activation.PENDING_KEY, None)
    request.session["signup_finished"] = True
    return response
