from django import forms

from imports.models import ImportRun
from tenancies.erpfiles import ENCODINGS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Fichier de l'ERP",
        choices=ImportRun.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type de fichier."},
    )
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Séparateur point-virgule, en UTF-8 ou Windows-1252 (docs/imports.md).",
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide : rien n'a été importé.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    encoding = forms.ChoiceField(
        label="Encodage",
        choices=[
            ("auto", "automatique (UTF-8 s'il est valide, sinon Windows-1252)"),
            *((name, name) for name in ENCODINGS),
        ],
        initial="auto",
    )
