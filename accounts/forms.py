from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from accounts import activation, captcha, lockout
from accounts.access import may_sign_in
from accounts.models import User
from core import phones, throttle
from core.allauth_bridge import current_request, sign_in_as
from landlords import scope, wording
from landlords.models import Landlord, LoginIdentifier
from landlords.passwords import MAX_LENGTH

DATE_HELP = "Au format JJ/MM/AAAA, par exemple 10/09/1975."


class AccountNumberField(forms.CharField):
    def __init__(self, landlord: Landlord, **kwargs):
        self.landlord = landlord
        super().__init__(
            label=landlord.account_number_label,
            help_text=landlord.account_number_help,
            max_length=40,
            error_messages={
                "required": f"Saisissez votre {landlord.account_number_label.lower()}."
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        return "".join((value or "").split())

    def validate(self, value):
        super().validate(value)
        if value and not self.landlord.account_number_is_valid(value):
            example = self.landlord.account_number_example
            raise ValidationError(
                f"Ce {self.landlord.account_number_label.lower()} n'a pas le bon format"
                + (f" (exemple : {example})" if example else "")
                + ". Recopiez-le depuis votre avis d'échéance."
            )


class LandlordForm(forms.Form):
    """A form whose fields depend on the landlord's rules."""

    def __init__(self, *args, landlord: Landlord, **kwargs):
        self.landlord = landlord
        super().__init__(*args, **kwargs)


class AccountNumberForm(LandlordForm):
    def __init__(self, *args, with_captcha: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account_number"] = AccountNumberField(self.landlord)
        if with_captcha:
            self.fields["captcha"] = captcha.field()


class IdentityForm(AccountNumberForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check = self.fields.pop("captcha", None)
        self.fields["last_name"] = forms.CharField(
            label="Nom",
            max_length=100,
            help_text="Tel qu'il figure sur votre contrat de location.",
            error_messages={"required": "Saisissez votre nom."},
        )
        self.fields["first_name"] = forms.CharField(
            label="Prénom",
            max_length=100,
            error_messages={"required": "Saisissez votre prénom."},
        )
        self.fields["birth_date"] = forms.DateField(
            label="Date de naissance",
            help_text=DATE_HELP,
            input_formats=["%d/%m/%Y"],
            error_messages={
                "required": "Saisissez votre date de naissance.",
                "invalid": "Saisissez une date valide au format JJ/MM/AAAA.",
            },
        )
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["birth_date"].widget.attrs.update(
            {"autocomplete": "bday", "inputmode": "numeric", "placeholder": "JJ/MM/AAAA"}
        )
        if check:
            self.fields["captcha"] = check


PHONE_PROBLEMS = {
    phones.Problem.INVALID: "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.",
    phones.Problem.FOREIGN: (
        "Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78."
    ),
    phones.Problem.NOT_MOBILE: "Saisissez un numéro de téléphone portable (06 ou 07).",
}


def parse_french_phone(value: str, *, mobile: bool) -> str:
    try:
        return phones.parse(value, mobile=mobile)
    except phones.PhoneError as error:
        raise ValidationError(PHONE_PROBLEMS[error.problem]) from None


class PhoneField(forms.CharField):
    def __init__(self, *, mobile: bool, **kwargs):
        self.mobile = mobile
        super().__init__(max_length=30, **kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs["autocomplete"] = "tel"

    def clean(self, value):
        value = super().clean(value)
        return parse_french_phone(value, mobile=self.mobile) if value else ""


class PhoneCheckForm(forms.Form):
    phone = PhoneField(
        mobile=True,
        label="Votre numéro de téléphone portable, en entier",
        error_messages={"required": "Saisissez votre numéro de téléphone portable."},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code reçu par SMS ou par courrier",
        max_length=20,
        help_text="6 chiffres reçus par SMS, ou le code de votre courrier d'activation.",
        error_messages={"required": "Saisissez le code reçu."},
    )
    code.widget.attrs.update({"autocomplete": "one-time-code", "autocapitalize": "characters"})


class TermsForm(LandlordForm):
    terms = forms.BooleanField(
        label="J'accepte les conditions générales d'utilisation",
        error_messages={
            "required": "Pour finaliser votre inscription, vous devez accepter les conditions "
            "générales d'utilisation."
        },
    )
    news = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "news"
        ].label = f"J'accepte de recevoir des mails de la part {self.landlord.of_name}"


def validate_new_password(landlord: Landlord | None, password: str, user: User | None) -> str:
    """The landlord's rule (never below the floor) and Django's checks, in French."""
    if len(password) > MAX_LENGTH:
        # Refused before any hashing: a huge password must not cost the server.
        raise ValidationError(f"Le mot de passe doit faire au plus {MAX_LENGTH} caractères.")
    problems = landlord.password_problems(password) if landlord else []
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        problems += [message for message in error.messages if message not in problems]
    if problems:
        raise ValidationError(problems)
    return password


class PasswordPairForm(LandlordForm):
    """A new password and its confirmation, checked against the landlord's rule."""

    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choisissez un mot de passe."},
    )
    password2 = forms.CharField(
        label="Confirmation mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Saisissez à nouveau votre mot de passe."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = self.landlord.password_rule_text
        self.fields["password1"].widget.attrs.update(
            {
                "data-min-length": self.landlord.password_min_length,
                "data-kinds": self.landlord.password_character_kinds,
            }
        )

    def password_owner(self) -> User:
        raise NotImplementedError

    def clean_password1(self):
        return validate_new_password(
            self.landlord, self.cleaned_data["password1"], self.password_owner()
        )

    def clean(self):
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return cleaned


class CredentialsForm(PasswordPairForm):
    field_order = ["email", "email2", "password1", "password2"]

    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={
            "required": "Saisissez votre adresse email.",
            "invalid": "Saisissez une adresse email valide, par exemple jean.dupond@exemple.com.",
        },
    )
    email2 = forms.EmailField(
        label="Confirmation email",
        max_length=254,
        error_messages={
            "required": "Saisissez à nouveau votre adresse email.",
            "invalid": "Saisissez une adresse email valide, par exemple jean.dupond@exemple.com.",
        },
    )

    def __init__(
        self,
        *args,
        signatory,
        include_terms: bool,
        with_captcha: bool = False,
        checked_mobile: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.signatory = signatory
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if self.landlord.asks_phones_at_signup:
            self.fields["landline_phone"] = PhoneField(
                mobile=False, label="Téléphone fixe", required=False
            )
            self.fields["mobile_phone"] = PhoneField(
                mobile=True, label="Téléphone mobile", required=False
            )
            # The number the tenant proved at the phone step, offered back; still editable.
            self.initial.setdefault("mobile_phone", phones.national(checked_mobile))
        if include_terms:
            self.fields.update(TermsForm(landlord=self.landlord).fields)
        if with_captcha:
            self.fields["captcha"] = captcha.field()

    def clean_email(self):
        email = self.cleaned_data["email"]
        if any(c in email for c in "\r\n"):
            raise ValidationError("Saisissez une adresse email valide.")
        return email.lower()

    def clean_email2(self):
        return self.cleaned_data["email2"].lower()

    def password_owner(self) -> User:
        return User(
            email=self.data.get("email", ""),
            first_name=self.signatory.first_name,
            last_name=self.signatory.last_name,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("email2") and cleaned["email"] != cleaned["email2"]:
            self.add_error("email2", "Les deux adresses email ne sont pas identiques.")
        return cleaned


class LoginForm(AllauthLoginForm):
    """IDENTIFIANT + MOT DE PASSE: the email, or the account number where the landlord says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.landlord = scope.request_landlord(self.request)
        tenants_page = self.landlord is not None and not getattr(
            self.request, "is_backoffice", False
        )
        words = self.landlord.wording if tenants_page else None
        if self.by_account_number:
            self.fields["login"] = forms.CharField(
                label=wording.word(words, "login_identifier"),
                max_length=40,
                help_text=f"Votre {self.landlord.account_number_label.lower()}. "
                f"{self.landlord.account_number_help}",
                widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
            )
        else:
            self.fields["login"].label = wording.word(words, "login_identifier")
            self.fields["login"].help_text = "Votre adresse email."
            self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].error_messages["required"] = "Saisissez votre identifiant."
        self.fields["password"].label = wording.word(words, "login_password")
        self.fields["password"].help_text = "Le mot de passe que vous avez choisi."
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].error_messages["required"] = "Saisissez votre mot de passe."

    @property
    def by_account_number(self) -> bool:
        # Staff use their email: on platform hosts (no landlord) and on the espace agence.
        return (
            bool(self.landlord)
            and not getattr(self.request, "is_backoffice", False)
            and self.landlord.login_identifier == LoginIdentifier.ACCOUNT_NUMBER
        )

    def user_credentials(self) -> dict:
        if not self.by_account_number:
            return super().user_credentials()
        return {
            "account_number": "".join(self.cleaned_data["login"].split()),
            "password": self.cleaned_data.get("password", ""),
            "landlord": self.landlord,
        }

    def clean(self):
        if self.errors:
            return self.cleaned_data
        login = self.cleaned_data["login"]
        wait = lockout.seconds_to_wait(self.request, login)
        if wait:
            raise ValidationError(throttle.wait_message(wait))
        try:
            if self.by_account_number:
                self._clean_by_account_number()
            else:
                super().clean()
        except ValidationError:
            lockout.record_failure(self.request, login)
            raise
        lockout.record_success(self.request, login)
        return self.cleaned_data

    def _clean_by_account_number(self):
        credentials = self.user_credentials()
        user = get_adapter(self.request).authenticate(self.request, **credentials)
        if user is None:
            raise ValidationError(
                f"Le {self.landlord.account_number_label.lower()} et/ou le mot de passe "
                "ne sont pas corrects."
            )
        sign_in_as(self, user)
        self.user = user


class ResetPasswordForm(AllauthResetPasswordForm):
    """The email (and the anti-robot check where the landlord uses one)."""

    users: list[User]
    waiting: list[User]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse email"
        self.fields["email"].help_text = "Celle que vous utilisez pour vous connecter."
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["email"].error_messages["required"] = "Saisissez votre adresse email."
        self.request = current_request()
        self.landlord = scope.request_landlord(self.request)
        if captcha.needed(self.request, self.landlord, captcha.RESET):
            self.fields["captcha"] = captcha.field()

    def full_clean(self):
        super().full_clean()
        # A solution accepted stays accepted when the email is to be typed again; once the
        # link is sent, the next reset asks again.
        captcha.keep_if_solved(self.request, self.landlord, captcha.RESET, self)
        if self.landlord and not self.errors:
            captcha.forget(self.request, captcha.RESET)

    def clean_email(self):
        email = super().clean_email()
        # Only a login that may sign in on this host gets a link; anyone else, the email
        # for an unknown address, in this landlord's name (and the same reply on screen).
        self.users = [user for user in self.users if may_sign_in(current_request(), user)]
        # Where the access works before its email is confirmed, a link waits for the
        # confirmation: the address may be a stranger's, mistyped at sign-up.
        self.waiting = [user for user in self.users if activation.reset_waits(self.request, user)]
        self.users = [user for user in self.users if user not in self.waiting]
        return email

    def save(self, request, **kwargs):
        if self.waiting:
            for user in self.waiting:
                activation.tell_reset_waits(request, user)
            return self.cleaned_data["email"]
        return super().save(request, **kwargs)
