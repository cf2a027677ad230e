from django import forms

from accounts.forms import PhoneField
from landlords.models import Agency
from staff import invitations
from staff.roles import Role

REASON_HELP = "Conservé dans le journal du bailleur, avec votre nom et l'heure."


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Numéro de compte, nom, email ou téléphone",
        max_length=200,
        required=False,
        help_text="Par exemple « 590000000012345 », « leroy sophie », une adresse email "
        "ou « 06 12 34 56 61 ».",
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=500,
        help_text=REASON_HELP,
        error_messages={"required": "Indiquez le motif de cette action."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Indiquez le motif de cette action.")
        return reason


class MobileForm(ReasonForm):
    mobile = PhoneField(
        mobile=True,
        label="Nouveau téléphone mobile",
        help_text="Le numéro que le locataire vous a donné, par exemple 06 12 34 56 78.",
        error_messages={"required": "Saisissez le nouveau numéro de mobile."},
    )
    field_order = ["mobile", "reason"]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse email professionnelle",
        error_messages={
            "required": "Saisissez l'adresse email.",
            "invalid": "Saisissez une adresse email valide, par exemple prenom.nom@bailleur.fr.",
        },
    )
    first_name = forms.CharField(
        label="Prénom", max_length=100, error_messages={"required": "Saisissez le prénom."}
    )
    last_name = forms.CharField(
        label="Nom", max_length=100, error_messages={"required": "Saisissez le nom."}
    )
    role = forms.ChoiceField(
        label="Rôle", choices=Role.choices, error_messages={"required": "Choisissez un rôle."}
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agences (pour un agent d'agence)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple,
        help_text="Un agent d'agence ne voit que les locataires de ces agences.",
    )

    def __init__(self, *args, landlord, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = landlord.agencies.all()  # type: ignore[attr-defined]


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        help_text="Au moins 12 caractères ; une phrase facile à retenir convient.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Choisissez un mot de passe."},
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Saisissez à nouveau le mot de passe."},
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        invitations.check_password(password, self.invitation)
        return password

    def clean(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return self.cleaned_data
