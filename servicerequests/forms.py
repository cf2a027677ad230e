from django import forms

from servicerequests.files import MAX_FILES, check_file, check_files

FILES_HELP = (
    f"{MAX_FILES} fichiers au plus : photos (JPEG, PNG, HEIC) ou PDF, 10 Mo chacun. "
    "Les informations cachées des photos (dont la position GPS) sont retirées."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Up to MAX_FILES uploads, each checked by its content and re-encoded (files.py)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.heic,.pdf"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FILES_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        return check_files(uploads)

    def bound_data(self, data, initial):
        return None


class RequestForm(forms.Form):
    description = forms.CharField(
        label="Décrivez votre demande",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Décrivez votre demande."},
    )
    location = forms.CharField(
        label="Où dans le logement ?",
        required=False,
        max_length=200,
        help_text="Par exemple : salle de bains, cuisine, cage d'escalier B.",
    )
    availability = forms.CharField(
        label="Quand êtes-vous disponible ?",
        required=False,
        max_length=300,
        help_text="Jours et heures où l'agence ou un technicien peut vous joindre ou passer.",
    )
    # A form field, not BaseForm.files (the metaclass moves fields out of the class).
    files = CheckedFilesField(label="Photos ou documents")  # type: ignore[assignment]

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        if category is not None and category.family == "administrative":
            self.fields["location"].widget = forms.HiddenInput()
            self.fields["availability"].label = "Quand pouvons-nous vous joindre ?"


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Écrivez votre message."},
    )
    # A form field, not BaseForm.files (the metaclass moves fields out of the class).
    files = CheckedFilesField(label="Photos ou documents")  # type: ignore[assignment]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Votre note",
        choices=[(n, f"{n} sur 5") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note de 1 à 5."},
    )
    comment = forms.CharField(
        label="Un commentaire (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContactForm(forms.Form):
    """ "Contacter mon agence": an administrative request, so nothing is lost in a mailbox."""

    category: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Sujet",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choisissez un sujet de la liste."},
    )
    description = forms.CharField(
        label="Votre message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Écrivez votre message."},
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        default = categories.filter(name="Autre").first()
        if default is not None:
            self.fields["category"].initial = default.pk


class CheckedFileField(forms.FileField):
    """One upload, checked by its content and re-encoded (files.py)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_file(upload) if upload else None


class InsuranceForm(forms.Form):
    file = CheckedFileField(
        label="Votre attestation",
        help_text="Un PDF ou une photo lisible (JPEG, PNG, HEIC), 10 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.heic,.pdf"}),
        error_messages={"required": "Choisissez le fichier de votre attestation."},
    )
    end_date = forms.DateField(
        label="Fin de validité",
        help_text="La date jusqu'à laquelle l'attestation est valable, par exemple 31/12/2026.",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez la date de fin de validité.",
            "invalid": "Indiquez une date valide (JJ/MM/AAAA).",
        },
    )
