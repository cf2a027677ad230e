"""Forgotten password with the tenant code and an SMS code (Habitat Hauts-de-France).

The steps mirror the sign-up's phone check: tenant code, the mobile on file in full,
the SMS code, then the new password.
"""

import functools

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import captcha, lockout, signup
from accounts.codes import TOO_MANY_CODES
from accounts.forms import AccountNumberForm, CodeForm, PasswordPairForm, PhoneCheckForm
from accounts.journeys import agency_contacts, send_code_again
from accounts.models import User
from core import phones, throttle
from landlords.models import LoginIdentifier
from tenancies.models import Signatory

SESSION_KEY = "password_reset_by_sms"


class NewPasswordForm(PasswordPairForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].label = "Nouveau mot de passe"

    def password_owner(self):
        return self.user


def signatories_with_login(landlord, account_number: str) -> list[Signatory]:
    return [s for s in signup.current_signatories(landlord, account_number) if signup.has_login(s)]


def requires_state(*, proven: bool):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            state = request.session.get(SESSION_KEY)
            # The session itself belongs to this host's landlord (landlords.scope).
            if (
                not state
                or signup.signup_session_expired(state["started"])
                or (proven and not state.get("proven"))
            ):
                messages.info(request, "Votre demande a expiré : merci de recommencer.")
                return redirect("password_reset_by_sms")
            return view(request, state, *args, **kwargs)

        return wrapper

    return decorator


def save_state(request, **changes):
    request.session[SESSION_KEY] = {**request.session[SESSION_KEY], **changes}


@require_http_methods(["GET", "POST"])
def account_number(request):
    if request.landlord.login_identifier != LoginIdentifier.ACCOUNT_NUMBER:
        raise Http404
    landlord = request.landlord
    form = AccountNumberForm(
        request.POST or None,
        landlord=landlord,
        with_captcha=captcha.needed(request, landlord, captcha.RESET),
    )
    valid = request.method == "POST" and form.is_valid()
    captcha.keep_if_solved(request, landlord, captcha.RESET, form)
    if valid:
        request.session[SESSION_KEY] = {
            "started": timezone.now().timestamp(),
            "account": form.cleaned_data["account_number"],
            "signatory": None,
            "proven": False,
        }
        return redirect("password_reset_by_sms_phone")
    return render(request, "accounts/reset/account_number.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def phone(request, state):
    landlord = request.landlord
    signatories = [s for s in signatories_with_login(landlord, state["account"]) if s.mobile_phone]
    masks = sorted({phones.masked(s.mobile_phone) for s in signatories}) or [
        signup.decoy_mask(landlord, state["account"])
    ]
    form = PhoneCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        keys = [throttle.client_ip(request), f"{landlord.pk}:{state['account']}"]
        wait = throttle.seconds_to_wait("reset", keys)
        found = signup.signatory_with_phone(signatories, form.cleaned_data["phone"])
        if wait:
            form.add_error(None, throttle.wait_message(wait))
        elif found:
            try:
                signup.send_phone_code(landlord, found)
            except signup.TooManyCodes:
                form.add_error(None, TOO_MANY_CODES)
            else:
                save_state(request, signatory=found.pk)
                return redirect("password_reset_by_sms_code")
        else:
            throttle.record_failure("reset", keys)
            form.add_error(
                "phone",
                "Ce numéro ne correspond pas à celui que nous connaissons. Si vous ne le "
                "reconnaissez pas, choisissez « Je ne connais pas ce numéro ».",
            )
    return render(request, "accounts/reset/phone.html", {"form": form, "masks": masks})


@require_http_methods(["GET"])
@requires_state(proven=False)
def unknown_phone(request, state):
    return agency_contacts(request, state["account"])


@require_http_methods(["GET", "POST"])
@requires_state(proven=False)
def code(request, state):
    form = CodeForm(request.POST or None)
    signatory = Signatory.objects.filter(pk=state["signatory"]).first()
    if signatory is None:
        return redirect("password_reset_by_sms_phone")
    if request.method == "POST" and form.is_valid():
        keys = [throttle.client_ip(request)]
        wait = throttle.seconds_to_wait("reset-code", keys)
        refusal = (
            throttle.wait_message(wait)
            if wait
            else signup.check_code(signatory, form.cleaned_data["code"])
        )
        if refusal is None:
            save_state(request, proven=True)
            return redirect("password_reset_by_sms_password")
        if not wait:
            throttle.record_failure("reset-code", keys, free_attempts=15)
        form.add_error("code", refusal)
    return render(request, "accounts/reset/code.html", {"form": form})


@require_POST
@requires_state(proven=False)
def resend_code(request, state):
    return send_code_again(request, state["signatory"], "password_reset_by_sms_code")


@require_http_methods(["GET", "POST"])
@requires_state(proven=True)
def new_password(request, state):
    user = User.objects.get(accesses__signatory_id=state["signatory"])
    form = NewPasswordForm(request.POST or None, user=user, landlord=request.landlord)
    if request.method == "POST" and form.is_valid():
        user.set_password(form.cleaned_data["password1"])
        user.save(update_fields=["password"])
        del request.session[SESSION_KEY]
        captcha.forget(request, captcha.RESET)
        # Every session of this user ends: their stored hash no longer matches the password.
        lockout.lift_lock(request, user)
        get_adapter(request).send_notification_mail("account/email/password_reset", user)
        return redirect("account_reset_password_from_key_done")
    return render(request, "accounts/reset/new_password.html", {"form": form})
