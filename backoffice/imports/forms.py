import datetime

from django import forms
from django.utils import timezone

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

    closes_period = forms.CharField(
        label="Mois complété par ce fichier (facultatif)",
        required=False,
        help_text=(
            "Pour un fichier d'écritures qui contient toutes celles d'un mois : le mois est "
            "clos une fois le fichier importé, et ses avis d'échéance sont émis (AAAA-MM)."
        ),
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "AAAA-MM"}),
    )

    def clean_closes_period(self):
        text = self.cleaned_data["closes_period"].strip()
        if not text:
            return None
        return clean_month(text)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("closes_period") and cleaned.get("kind") == ImportRun.Kind.ACCOUNTS:
            self.add_error(
                "closes_period",
                "Seul un fichier d'écritures complète un mois : choisissez « écritures » ou "
                "laissez ce champ vide.",
            )
        return cleaned


def clean_month(text: str) -> datetime.date:
    try:
        month = datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError(
            f"« {text} » n'est pas un mois (attendu AAAA-MM, par exemple 2026-11)."
        ) from None
    if month > timezone.localdate().replace(day=1):
        raise forms.ValidationError(
            f"{month:%m/%Y} n'a pas commencé : un mois ne peut être clos qu'une fois commencé."
        )
    return month


class ClosePeriodForm(forms.Form):
    period = forms.CharField(
        label="Mois à clore",
        help_text="AAAA-MM : toutes les écritures du mois sont dans le portail.",
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "AAAA-MM"}),
        error_messages={"required": "Indiquez le mois à clore."},
    )

    def clean_period(self):
        return clean_month(self.cleaned_data["period"])
