"""Sign-up from a store app: the portal's own steps (accounts.signup_steps) and forms
(accounts.forms), asked in JSON. The sign-up in progress lives in the app's session
(its token is in each answer's `session_token` once it changes), bound to this landlord.

Steps, as the landlord's rules say (GET /inscription): `identite` (the account number,
and the names and birth date where the landlord asks them), then `telephone` and `code`
(an SMS to the mobile on file) or `code` (the activation letter), then `identifiants`
(email, password, terms): the login is created and the activation email sent, whose link
opens on this landlord's host (or is handed to POST /_allauth/app/v1/auth/email/verify).
"""

from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django_altcha import get_altcha_challenge
from ninja import Router, Status

from accounts import activation, captcha, signup, signup_steps
from accounts.forms import (
    AccountNumberForm,
    CodeForm,
    CredentialsForm,
    IdentityForm,
    PhoneCheckForm,
)
from accounts.views import steps_for
from api.auth import session_token
from api.schemas import (
    CodeIn,
    CredentialsIn,
    ErrorOut,
    IdentityIn,
    PhoneIn,
    SignupRulesOut,
    StepOut,
)
from landlords.models import IdentityProof

router = Router(tags=["inscription"], auth=None)

# The web's step names (URL names), as the app sees them.
STEP_NAMES = {
    "signup": "identite",
    "signup_phone": "telephone",
    "signup_code": "code",
    "signup_credentials": "identifiants",
    "signup_terms": "identifiants",
}
EXPIRED = "Votre inscription a expiré : merci de recommencer."
ACTIVATION_SENT = (
    "Un email d'activation vient de vous être envoyé : ouvrez le lien qu'il contient pour "
    "activer votre accès."
)
# Where the landlord does without activation by email (accounts/activation.py).
OPERATIONAL = (
    "Votre compte est opérationnel : connectez-vous avec votre mot de passe. Un email vous "
    "demande de confirmer votre adresse (avant, le mot de passe oublié ne passe pas par email)."
)


def form_errors(form) -> dict:
    errors = form.errors.get_json_data()
    general = [e["message"] for e in errors.pop("__all__", [])]
    fields = {name: [e["message"] for e in items] for name, items in errors.items()}
    detail = " ".join(general) or next(iter(fields.values()), ["Vérifiez votre saisie."])[0]
    return {"detail": detail, "erreurs": fields}


def refused(form, renames: dict[str, str]) -> Status:
    body = form_errors(form)
    body["erreurs"] = {renames.get(k, k): v for k, v in body["erreurs"].items()}
    return Status(400, body)


def next_step(request: HttpRequest, name: str, detail: str = "") -> Status:
    return Status(
        200,
        {
            "etape_suivante": STEP_NAMES.get(name, name),
            "session_token": session_token(request),
            "detail": detail,
        },
    )


def expired() -> Status:
    return Status(409, {"detail": EXPIRED, "erreurs": {}})


@router.get("/inscription", response=SignupRulesOut, summary="Les règles d'inscription")
def rules(request):
    """What this landlord asks at sign-up, step by step, with its account number's format
    and its password rule."""
    landlord = request.landlord
    return {
        "bailleur": landlord.name,
        "preuve_identite": landlord.identity_proof,
        "etapes": list(dict.fromkeys(STEP_NAMES[name] for name, _ in steps_for(landlord))),
        "libelle_numero": landlord.account_number_label,
        "aide_numero": landlord.account_number_help,
        "exemple_numero": landlord.account_number_example,
        "format_numero": landlord.account_number_pattern,
        "anti_robot": landlord.captcha_enabled,
        "regle_mot_de_passe": landlord.password_rule_text,
        "identifiant_de_connexion": landlord.login_identifier,
        "telephones_demandes": landlord.asks_phones_at_signup,
        "cgu_version": landlord.terms_version,
    }


@router.get("/anti-robot", response=dict, summary="Un défi anti-robot (ALTCHA)")
def captcha_challenge(request):
    """Where the landlord uses the anti-robot check, the app solves this proof of work
    (ALTCHA) and sends the solution, base64-encoded, as `anti_robot`."""
    return get_altcha_challenge().__dict__


IDENTITY_FIELDS = {
    "account_number": "numero",
    "last_name": "nom",
    "first_name": "prenom",
    "birth_date": "date_naissance",
    "captcha": "anti_robot",
}


@router.post(
    "/inscription/identite",
    response={200: StepOut, 400: ErrorOut},
    summary="Étape 1 : votre identité",
)
def identity(request, data: IdentityIn):
    """The account number; where the landlord asks them, the names and the birth date
    (JJ/MM/AAAA) of a signatory of a current lease."""
    landlord = request.landlord
    by_details = landlord.identity_proof == IdentityProof.SIGNATORY_DETAILS
    form_class = IdentityForm if by_details else AccountNumberForm
    form = form_class(
        {
            "account_number": data.numero,
            "last_name": data.nom,
            "first_name": data.prenom,
            "birth_date": data.date_naissance,
            "captcha": data.anti_robot,
        },
        landlord=landlord,
        with_captcha=captcha.needed(request, landlord, captcha.SIGNUP),
    )
    valid = form.is_valid()
    captcha.keep_if_solved(request, landlord, captcha.SIGNUP, form)
    if not valid:
        return refused(form, IDENTITY_FIELDS)
    step = signup_steps.identity(request, form.cleaned_data)
    if step.next:
        return next_step(request, step.next)
    form.add_error(step.field, step.error)
    return refused(form, IDENTITY_FIELDS)


@router.post(
    "/inscription/telephone",
    response={200: StepOut, 400: ErrorOut, 409: ErrorOut},
    summary="Étape 2 : le téléphone portable connu",
)
def phone(request, data: PhoneIn):
    """The whole mobile number on file: an SMS code is sent to it."""
    state = signup.signup_state(request)
    if state is None:
        return expired()
    form = PhoneCheckForm({"phone": data.telephone})
    if form.is_valid():
        step = signup_steps.phone(request, state, form.cleaned_data["phone"])
        if step.next:
            return next_step(request, step.next)
        form.add_error(step.field, step.error)
    return refused(form, {"phone": "telephone"})


@router.post(
    "/inscription/code",
    response={200: StepOut, 400: ErrorOut, 409: ErrorOut},
    summary="Étape 3 : le code reçu",
)
def code(request, data: CodeIn):
    """The code received by SMS, or the code of the activation letter."""
    state = signup.signup_state(request)
    if state is None:
        return expired()
    form = CodeForm({"code": data.code})
    if form.is_valid():
        step = signup_steps.code(request, state, form.cleaned_data["code"])
        if step.next:
            return next_step(request, step.next)
        form.add_error(step.field, step.error)
    return refused(form, {})


CREDENTIAL_FIELDS = {
    "email2": "email_confirmation",
    "password1": "mot_de_passe",
    "password2": "mot_de_passe_confirmation",
    "terms": "cgu_acceptees",
    "news": "actualites_par_email",
    "landline_phone": "telephone_fixe",
    "mobile_phone": "telephone_mobile",
    "captcha": "anti_robot",
}


@router.post(
    "/inscription/identifiants",
    response={200: StepOut, 400: ErrorOut, 409: ErrorOut},
    summary="Dernière étape : vos identifiants",
)
def credentials(request, data: CredentialsIn):
    """Email, password (the landlord's rule), the terms accepted: the login is created and
    the activation email sent (the same answer whether or not the email is already used)."""
    state = signup.signup_state(request)
    if state is None or not state["proven"]:
        return expired()
    signatory = signup_steps.proven_signatory(state)
    if signatory is None:
        return expired()
    form = CredentialsForm(
        {
            "email": data.email,
            "email2": data.email_confirmation,
            "password1": data.mot_de_passe,
            "password2": data.mot_de_passe_confirmation,
            "terms": "on" if data.cgu_acceptees else "",
            "news": "on" if data.actualites_par_email else "",
            "landline_phone": data.telephone_fixe,
            "mobile_phone": data.telephone_mobile,
            "captcha": data.anti_robot,
        },
        landlord=request.landlord,
        signatory=signatory,
        include_terms=True,
        with_captcha=captcha.needed(request, request.landlord, captcha.SIGNUP),
    )
    valid = form.is_valid()
    captcha.keep_if_solved(request, request.landlord, captcha.SIGNUP, form)
    if not valid:
        return refused(form, CREDENTIAL_FIELDS)
    details = {
        "email": form.cleaned_data["email"],
        "password_hash": make_password(form.cleaned_data["password1"]),
        "landline_phone": form.cleaned_data.get("landline_phone", ""),
        "mobile_phone": form.cleaned_data.get("mobile_phone", ""),
    }
    signup_steps.finish(request, signatory, details, form.cleaned_data["news"])
    if not activation.required(request):
        return next_step(request, "connexion", OPERATIONAL)
    return next_step(request, "activation", ACTIVATION_SENT)
