"""Forms of "Mes infos": French labels and messages; the rules are in accounts.profile."""

from allauth.account.forms import ChangePasswordForm
from django import forms
from django.core.exceptions import ValidationError

from accounts import profile
from accounts.forms import PhoneField


def current_password_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe actuel."},
        **kwargs,
    )


class PasswordCheckedForm(forms.Form):
    """A form whose "password" field must hold the signed-in user's current password."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        problem = profile.check_current_password(self.user, password)
        if problem:
            raise ValidationError(problem)
        return password


class EmailChangeForm(PasswordCheckedForm):
    email = forms.EmailField(
        label="Nouvelle adresse email",
        max_length=254,
        help_text="Un lien de confirmation y sera envoyé : votre identifiant ne changera "
        "qu'une fois ce lien ouvert.",
        error_messages={
            "required": "Saisissez votre nouvelle adresse email.",
            "invalid": "Saisissez une adresse email valide, par exemple jean.dupond@exemple.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = current_password_field()

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if email == self.user.email:
            raise ValidationError("C'est déjà votre adresse email.")
        return email


class PasswordChangeForm(ChangePasswordForm):
    """allauth's form (the landlord's rule applies to the new password), in our words."""

    def __init__(self, *args, landlord, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "oldpassword": ("Mot de passe actuel", "Saisissez votre mot de passe actuel."),
            "password1": ("Nouveau mot de passe", "Choisissez un nouveau mot de passe."),
            "password2": ("Confirmation", "Saisissez à nouveau le nouveau mot de passe."),
        }
        for name, (label, required) in labels.items():
            field = self.fields[name]
            field.label = label
            field.help_text = ""
            field.error_messages["required"] = required
            field.widget.attrs.pop("placeholder", None)
        self.fields["password1"].help_text = landlord.password_rule_text
        self.fields["password1"].widget.attrs.update(
            {
                "data-min-length": landlord.password_min_length,
                "data-kinds": landlord.password_character_kinds,
            }
        )

    def clean_oldpassword(self):
        password = self.cleaned_data["oldpassword"]
        problem = profile.check_current_password(self.user, password)
        if problem:
            raise ValidationError(problem)
        return password


class PhonesForm(forms.Form):
    landline_phone = PhoneField(mobile=False, label="Téléphone fixe", required=False)
    mobile_phone = PhoneField(
        mobile=True,
        label="Téléphone mobile",
        required=False,
        help_text="Un nouveau numéro est enregistré après la saisie du code envoyé par SMS.",
    )


class MobileCodeForm(forms.Form):
    code = forms.CharField(
        label="Code reçu par SMS",
        max_length=20,
        help_text="6 chiffres.",
        error_messages={"required": "Saisissez le code reçu par SMS."},
    )
    code.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class NewsConsentForm(forms.Form):
    granted = forms.TypedChoiceField(
        choices=[("true", "oui"), ("false", "non")], coerce=lambda value: value == "true"
    )


class EndSessionForm(forms.Form):
    session = forms.IntegerField()


class CloseAccessForm(PasswordCheckedForm):
    password = current_password_field()
    confirm = forms.BooleanField(
        label="Je comprends que mon identifiant et mon mot de passe seront supprimés",
        error_messages={"required": "Cochez la case pour confirmer la fermeture de votre accès."},
    )


class PushDeviceForm(forms.Form):
    """One device's notifications (Mes infos): its preferences, or turning them off."""

    device = forms.IntegerField(widget=forms.HiddenInput)
    show_amounts = forms.BooleanField(
        label="Afficher les montants dans les notifications", required=False
    )
    due_reminders = forms.BooleanField(
        label="Me prévenir trois jours avant l'échéance quand je dois une somme", required=False
    )
