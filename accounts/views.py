"""Sign-up views (thin; the rules are in accounts.signup), and the sign-in's transaction."""

import functools

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import activation, captcha, signup, signup_steps
from accounts.forms import (
    AccountNumberForm,
    CodeForm,
    CredentialsForm,
    IdentityForm,
    PhoneCheckForm,
    TermsForm,
)
from accounts.journeys import agency_contacts, send_code_again
from core import phones
from landlords import scope
from landlords.models import IdentityProof


def sign_in(request):
    """allauth's sign-in view, with every write of a sign-in in one transaction: the last
    login, "Vos appareils connectés", the audit row and the new session (SessionMiddleware
    would write it after the commit, in a second transaction; its own save then finds
    nothing changed: accounts/session_store.py). One commit, one wait for the disk."""
    with transaction.atomic():
        response = allauth_views.login(request)
        # As SessionScopeMiddleware would on the way out: the session is this host's.
        scope.bind_session(request)
        session = request.session
        # What SessionMiddleware would save (not an empty session, not after an error).
        if session.modified and not session.is_empty() and response.status_code < 500:
            try:
                session.save()
            except UpdateError as error:  # as SessionMiddleware answers it
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed."
                ) from error
    return response


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
        signup_steps.save_state(request, typed={**state.get("typed", {}), step: kept})
    names = [name for name, _title in steps_for(request.landlord)]
    return redirect(names[max(names.index(step) - 1, 0)])


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
        step = signup_steps.identity(request, form.cleaned_data)
        if step.next:
            return redirect(step.next)
        form.add_error(step.field, step.error)
    return render_step(request, "signup", "accounts/signup_identity.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def phone(request, state):
    landlord = request.landlord
    signatories = signup_steps.phone_signatories(request, state)
    masks = sorted({phones.masked(s.mobile_phone) for s in signatories}) or [
        signup.decoy_mask(landlord, state["account"])
    ]
    if "back" in request.POST:
        return back(request, "signup_phone")
    form = PhoneCheckForm(request.POST or None, initial=typed(request, "signup_phone"))
    if request.method == "POST" and form.is_valid():
        step = signup_steps.phone(request, state, form.cleaned_data["phone"])
        if step.next:
            return redirect(step.next)
        form.add_error(step.field, step.error)
    return render_step(
        request, "signup_phone", "accounts/signup_phone.html", {"form": form, "masks": masks}
    )


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def code(request, state):
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
        step = signup_steps.code(request, state, form.cleaned_data["code"])
        if step.next:
            return redirect(step.next)
        form.add_error(step.field, step.error)
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


def start_again(request):
    """The proven signatory is gone (an ERP import removed them): back to step 1."""
    del request.session[signup.SESSION_KEY]
    messages.error(request, SIGNATORY_GONE)
    return redirect("signup")


@require_http_methods(["GET", "POST"])
@requires_state(proven=True)
def credentials(request, state):
    landlord = request.landlord
    signatory = signup_steps.proven_signatory(state)
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
        checked_mobile=signup_steps.checked_mobile(state),
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
            signup_steps.save_state(request, details=details)
            return redirect("signup_terms")
        return signup_steps.finish(request, signatory, details, form.cleaned_data["news"])
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
        signatory = signup_steps.proven_signatory(state)
        if signatory is None:
            return start_again(request)
        return signup_steps.finish(request, signatory, state["details"], form.cleaned_data["news"])
    return render_step(request, "signup_terms", "accounts/signup_terms.html", {"form": form})


@require_http_methods(["GET"])
@login_required
def operational(request):
    """The end of a sign-up where the access works at once (no activation by email)."""
    request.session.pop("signup_finished", None)
    address = activation.unconfirmed_address(request.user)
    return render(
        request,
        "accounts/signup_operational.html",
        {"masked_email": activation.masked(address.email) if address else ""},
    )


@require_http_methods(["GET"])
def verification_sent(request):
    """ "Inscription terminée" once, then (signing in before activating) which address the
    link went to, with "Renvoyer le lien"."""
    user = None if request.session.get("signup_finished") else activation.pending_user(request)
    address = activation.unconfirmed_address(user) if user else None
    return render(
        request,
        "account/verification_sent.html",
        {"masked_email": activation.masked(address.email) if address else ""},
    )


LINK_RESENT = "Un nouveau lien vient de vous être envoyé par email. Il est valable 3 jours."
LINK_NOT_RESENT = (
    "Un lien vous a été envoyé il y a moins de 3 minutes : attendez-le (regardez aussi dans "
    "vos courriers indésirables) avant d'en demander un autre."
)


@require_POST
def resend_activation_link(request):
    """ "Renvoyer le lien": to the signed-in tenant's address, or to the login that has just
    signed in before activating."""
    user = request.user if request.user.is_authenticated else activation.pending_user(request)
    if user is None:
        return redirect("account_login")
    if activation.resend_link(request, user):
        messages.success(request, LINK_RESENT)
    elif activation.unconfirmed_address(user) is not None:
        messages.error(request, LINK_NOT_RESENT)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "dashboard" if request.user.is_authenticated else "account_email_verification_sent"
    return redirect(back)
