"""Sign-up views: thin; the rules are in accounts.signup."""

import functools

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import captcha, signup
from accounts.codes import TOO_MANY_CODES, TooManyCodes
from accounts.forms import (
    AccountNumberForm,
    CodeForm,
    CredentialsForm,
    IdentityForm,
    PhoneCheckForm,
    TermsForm,
)
from accounts.journeys import agency_contacts, send_code_again
from core import phones, throttle
from core.allauth_bridge import complete_signup
from landlords.models import IdentityProof
from tenancies.models import Signatory

MISMATCH = (
    "Ces informations ne correspondent à aucun signataire d'un contrat de location en cours. "
    "Vérifiez-les sur votre avis d'échéance : nom et prénom tels qu'ils figurent sur votre "
    "contrat. Seuls les signataires du contrat de location peuvent créer un accès."
)


def steps_for(landlord) -> list[tuple[str, str]]:
    """(url name, title) of each step of this landlord's sign-up."""
    steps = [("signup", "Votre identité")]
    if landlord.identity_proof == IdentityProof.PHONE_SMS:
        steps[0] = ("signup", "Votre identifiant")
        steps += [("signup_phone", "Vérification téléphone"), ("signup_code", "Vérification SMS")]
    elif landlord.identity_proof == IdentityProof.LETTER_CODE:
        steps += [("signup_code", "Code reçu par courrier")]
    steps.append(("signup_credentials", "Vos identifiants"))
    if landlord.signup_terms_step:
        steps.append(("signup_terms", "Conditions générales d'utilisation"))
    return steps


def render_step(request, step: str, template: str, context: dict):
    steps = steps_for(request.landlord)
    number = next(i for i, (name, _title) in enumerate(steps, 1) if name == step)
    context.update(step_number=number, step_count=len(steps), step_title=steps[number - 1][1])
    return render(request, template, context)


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


# Never kept in the session for "Retour": secrets, and what proves something.
NOT_KEPT = {"csrfmiddlewaretoken", "back", "password1", "password2", "captcha", "code"}


def typed(request, step: str) -> dict:
    """What the tenant typed at this step before going back (prefills the form)."""
    state = signup.signup_state(request) or {}
    return dict(state.get("typed", {}).get(step, {}))


def back(request, step: str):
    """ "Retour" / "Précédent": the previous step, keeping what was typed on this one."""
    state = signup.signup_state(request)
    if state is not None:
        kept = {
            name: value
            for name, value in request.POST.items()
            if name not in NOT_KEPT and len(value) <= 254
        }
        save_state(request, typed={**state.get("typed", {}), step: kept})
    names = [name for name, _title in steps_for(request.landlord)]
    return redirect(names[max(names.index(step) - 1, 0)])


def save_state(request, **changes) -> None:
    request.session[signup.SESSION_KEY] = {**request.session[signup.SESSION_KEY], **changes}


def requires_state(*, proven: bool):
    """The step needs a sign-up in progress (and, if proven, an identity proven)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            state = signup.signup_state(request)
            if state is None or (proven and not state["proven"]):
                messages.info(request, "Votre inscription a expiré : merci de recommencer.")
                return redirect("signup")
            return view(request, state, *args, **kwargs)

        return wrapper

    return decorator


@require_http_methods(["GET", "POST"])
def identity(request):
    landlord = request.landlord
    by_details = landlord.identity_proof == IdentityProof.SIGNATORY_DETAILS
    form_class = IdentityForm if by_details else AccountNumberForm
    form = form_class(
        request.POST or None,
        landlord=landlord,
        with_captcha=captcha.needed(request, landlord, captcha.SIGNUP),
        initial=typed(request, "signup"),
    )
    valid = request.method == "POST" and form.is_valid()
    captcha.keep_if_solved(request, landlord, captcha.SIGNUP, form)
    if valid:
        number = form.cleaned_data["account_number"]
        keys = [throttle.client_ip(request), f"{landlord.pk}:{number}"]
        wait = throttle.seconds_to_wait("signup", keys)
        if wait:
            form.add_error(None, throttle.wait_message(wait))
        elif not by_details:
            start_state(request, number)
            return redirect(
                "signup_phone" if landlord.identity_proof == "phone_sms" else "signup_code"
            )
        else:
            found = signup.find_signatory(
                landlord,
                number,
                form.cleaned_data["last_name"],
                form.cleaned_data["first_name"],
                form.cleaned_data["birth_date"],
            )
            if found and not signup.has_login(found):
                throttle.clear("signup", keys[1:])
                start_state(request, number, found)
                return redirect("signup_credentials")
            if found:
                signup.warn_existing_holder(landlord, found)
            throttle.record_failure("signup", keys)
            form.add_error(None, MISMATCH)
    return render_step(request, "signup", "accounts/signup_identity.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def phone(request, state):
    landlord = request.landlord
    signatories = [
        s for s in signup.current_signatories(landlord, state["account"]) if s.mobile_phone
    ]
    masks = sorted({phones.masked(s.mobile_phone) for s in signatories}) or [
        signup.decoy_mask(landlord, state["account"])
    ]
    if "back" in request.POST:
        return back(request, "signup_phone")
    form = PhoneCheckForm(request.POST or None, initial=typed(request, "signup_phone"))
    if request.method == "POST" and form.is_valid():
        keys = [throttle.client_ip(request), f"{landlord.pk}:{state['account']}"]
        wait = throttle.seconds_to_wait("signup", keys)
        found = signup.signatory_with_phone(signatories, form.cleaned_data["phone"])
        if wait:
            form.add_error(None, throttle.wait_message(wait))
        elif found and not signup.has_login(found):
            try:
                signup.send_phone_code(landlord, found)
            except TooManyCodes:
                form.add_error(None, TOO_MANY_CODES)
            else:
                save_state(request, signatory=found.pk)
                return redirect("signup_code")
        else:
            if found:
                signup.warn_existing_holder(landlord, found)
            throttle.record_failure("signup", keys)
            form.add_error(
                "phone",
                "Ce numéro ne correspond pas à celui que nous connaissons. Si vous ne le "
                "reconnaissez pas, choisissez « Je ne connais pas ce numéro ».",
            )
    return render_step(
        request, "signup_phone", "accounts/signup_phone.html", {"form": form, "masks": masks}
    )


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def code(request, state):
    landlord = request.landlord
    if "back" in request.POST:
        return back(request, "signup_code")
    if state["proven"]:
        # Back from the next step: the code was accepted already.
        if request.method == "POST":
            return redirect("signup_credentials")
        return render_step(
            request, "signup_code", "accounts/signup_code.html", {"already_proven": True}
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keys = [throttle.client_ip(request)]
        wait = throttle.seconds_to_wait("signup-code", keys)
        candidates = signup.current_signatories(landlord, state["account"])
        if state["signatory"]:
            candidates = [s for s in candidates if s.pk == state["signatory"]]
        if wait:
            form.add_error(None, throttle.wait_message(wait))
        else:
            refusal: str | None = "Ce code n'est pas valable."
            for candidate in candidates:
                refusal = signup.check_code(candidate, form.cleaned_data["code"])
                if refusal is None and not signup.has_login(candidate):
                    save_state(request, signatory=candidate.pk, proven=True)
                    return redirect("signup_credentials")
            # Each code allows 5 tries; the address gets a little more room across codes.
            throttle.record_failure("signup-code", keys, free_attempts=15)
            form.add_error("code", refusal or "Ce code n'est pas valable.")
    return render_step(
        request,
        "signup_code",
        "accounts/signup_code.html",
        {"form": form, "by_sms": bool(state["signatory"])},
    )


@require_POST
@requires_state(proven=False)
def resend_code(request, state):
    return send_code_again(request, state["signatory"], "signup_code")


@require_http_methods(["GET"])
@requires_state(proven=False)
def unknown_phone(request, state):
    return agency_contacts(request, state["account"])


SIGNATORY_GONE = (
    "Votre contrat de location a été mis à jour entre-temps et nous ne retrouvons plus "
    "le signataire que vous avez indiqué : merci de recommencer votre inscription."
)


def proven_signatory(state) -> Signatory | None:
    return Signatory.objects.select_related("lease__account").filter(pk=state["signatory"]).first()


def start_again(request):
    """The proven signatory is gone (an ERP import removed them): back to step 1."""
    del request.session[signup.SESSION_KEY]
    messages.error(request, SIGNATORY_GONE)
    return redirect("signup")


@require_http_methods(["GET", "POST"])
@requires_state(proven=True)
def credentials(request, state):
    landlord = request.landlord
    signatory = proven_signatory(state)
    if signatory is None:
        return start_again(request)
    if request.user.is_authenticated:
        # Already has a login: the proven lease is added to it instead of a second login.
        if request.method == "POST":
            del request.session[signup.SESSION_KEY]
            signup.add_access(request.user, signatory, landlord)
            messages.success(request, f"Le compte {signatory.lease.account.number} a été ajouté.")
            return redirect("dashboard")
        return render(request, "accounts/add_account.html", {"signatory": signatory})
    if "back" in request.POST:
        return back(request, "signup_credentials")
    separate_terms = landlord.signup_terms_step
    form = CredentialsForm(
        request.POST or None,
        landlord=landlord,
        signatory=signatory,
        include_terms=not separate_terms,
        with_captcha=captcha.needed(request, landlord, captcha.SIGNUP),
        initial=typed(request, "signup_credentials"),
    )
    valid = request.method == "POST" and form.is_valid()
    captcha.keep_if_solved(request, landlord, captcha.SIGNUP, form)
    if valid:
        details = {
            "email": form.cleaned_data["email"],
            "password_hash": make_password(form.cleaned_data["password1"]),
            "landline_phone": form.cleaned_data.get("landline_phone", ""),
            "mobile_phone": form.cleaned_data.get("mobile_phone", ""),
        }
        if separate_terms:
            save_state(request, details=details)
            return redirect("signup_terms")
        return finish(request, signatory, details, form.cleaned_data["news"])
    return render_step(
        request,
        "signup_credentials",
        "accounts/signup_credentials.html",
        {"form": form, "signatory": signatory},
    )


@require_http_methods(["GET", "POST"])
@requires_state(proven=True)
def terms(request, state):
    if "back" in request.POST:
        return back(request, "signup_terms")
    if "details" not in state:
        return redirect("signup_credentials")
    form = TermsForm(request.POST or None, landlord=request.landlord)
    if request.method == "POST" and form.is_valid():
        signatory = proven_signatory(state)
        if signatory is None:
            return start_again(request)
        return finish(request, signatory, state["details"], form.cleaned_data["news"])
    return render_step(request, "signup_terms", "accounts/signup_terms.html", {"form": form})


def finish(request, signatory: Signatory, details: dict, news_consent: bool):
    """Create the login and send the activation email, or say the same if the email is taken."""
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
            response = complete_signup(request, user=user, redirect_url=reverse("dashboard"))
    # Set last: the sign-in stage may have renewed the session.
    request.session["signup_finished"] = True
    return response
