from typing import cast

from django import forms

from news import services
from news.models import NewsItem

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class NewsForm(forms.ModelForm):
    publish_at = forms.DateTimeField(
        label="Date de publication",
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text="Vide : dès la publication. Une date à venir programme l'actualité "
        "(et son envoi par email) pour ce moment.",
        error_messages={"invalid": "Saisissez une date et une heure, par exemple 15/03/2026 9:00."},
    )
    residence = forms.ChoiceField(label="Résidence", required=False)

    class Meta:
        model = NewsItem
        fields = ["title", "body", "audience", "agency", "residence", "publish_at"]
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "title": {"required": "Saisissez le titre de l'actualité."},
            "body": {"required": "Saisissez le texte de l'actualité."},
            "audience": {"required": "Choisissez à qui s'adresse l'actualité."},
        }

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        agencies = member.landlord.agencies.all()
        audiences = list(NewsItem.Audience.choices)
        if member.is_agent:
            agencies = member.agencies.all()
            audiences = [c for c in audiences if c[0] != NewsItem.Audience.LANDLORD]
        audience_field = cast(forms.ChoiceField, self.fields["audience"])
        agency_field = cast(forms.ModelChoiceField, self.fields["agency"])
        residence_field = cast(forms.ChoiceField, self.fields["residence"])
        audience_field.choices = audiences
        agency_field.queryset = agencies
        agency_field.empty_label = "Choisissez une agence"
        self.fields["agency"].help_text = "Pour les locataires d'une agence."
        residence_field.choices = [("", "Choisissez une résidence")] + [
            (key, key) for key in services.residences_for(member)
        ]
        self.fields[
            "residence"
        ].help_text = "Pour les locataires d'une résidence : une adresse des contrats en cours."

    def clean(self):
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == NewsItem.Audience.AGENCY:
            if not data.get("agency"):
                self.add_error("agency", "Choisissez l'agence dont les locataires la liront.")
            data["residence"] = ""
        elif audience == NewsItem.Audience.RESIDENCE:
            if not data.get("residence"):
                message = "Choisissez la résidence dont les locataires la liront."
                self.add_error("residence", message)
            data["agency"] = None
        else:
            data["agency"], data["residence"] = None, ""
        return data
