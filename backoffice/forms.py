from django import forms

from accounts.forms import PhoneField

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


class JournalExportForm(forms.Form):
    pass
