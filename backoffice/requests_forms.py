"""Forms and filters of the Demandes screens."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from servicerequests.forms import CheckedFilesField
from servicerequests.models import RequestCategory, SavedReply, ServiceRequest, Status

LATENESS = [("en-retard", "en retard"), ("dans-les-temps", "dans les temps")]


class RequestFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        label="Catégorie", queryset=RequestCategory.objects.none(), empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(
        label="État", choices=Status.choices, empty_label="Toutes sauf clôturées"
    )
    agency = django_filters.ChoiceFilter(
        label="Agence", field_name="account__agency", empty_label="Toutes"
    )
    retard = django_filters.ChoiceFilter(
        label="Délai promis", choices=LATENESS, method="filter_lateness", empty_label="Tous"
    )

    class Meta:
        model = ServiceRequest
        fields = ["category", "status", "agency", "retard"]

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = RequestCategory.objects.filter(landlord=member.landlord)
        agencies = member.agencies.all() if member.is_agent else member.landlord.agencies.all()
        self.filters["agency"].extra["choices"] = [(a.pk, a.name) for a in agencies]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Status.CLOSED)
        return super().filter_queryset(queryset)

    def filter_lateness(self, queryset, name, value):
        now = timezone.now()
        late = ServiceRequest.late_filter(now)
        return queryset.filter(late) if value == "en-retard" else queryset.exclude(late)


class RequestTable(tables.Table):
    reference = tables.Column(verbose_name="Demande", empty_values=(), order_by="pk")
    account = tables.Column(verbose_name="Compte", accessor="account__number")
    category = tables.Column(verbose_name="Catégorie", accessor="category__name")
    status = tables.Column(verbose_name="État")
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Envoyée le")
    due_at = tables.Column(verbose_name="Réponse promise avant le")
    assigned_to = tables.Column(verbose_name="Suivie par", accessor="assigned_to__email")

    class Meta:
        model = ServiceRequest
        fields = [
            "reference",
            "account",
            "category",
            "status",
            "created_at",
            "due_at",
            "assigned_to",
        ]
        attrs = {"class": "bo-table"}
        row_attrs = {"class": lambda record: "bo-late" if record.is_late() else ""}
        empty_text = "Aucune demande ne correspond dans votre périmètre."

    def render_reference(self, record):
        url = reverse("backoffice:request", args=[record.public_id])
        return format_html('<a href="{}">{}</a>', url, record.reference)

    def render_status(self, record):
        return record.get_status_display()

    def render_due_at(self, record, value):
        when = timezone.localtime(value).strftime("%d/%m/%Y")
        if record.is_late():
            return format_html('{} <strong class="bo-late-flag">⚠ En retard</strong>', when)
        return when


class AssignForm(forms.Form):
    assigned_to: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Suivie par", queryset=None, required=False, empty_label="Personne"
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["assigned_to"].label_from_instance = lambda user: (  # type: ignore[attr-defined]
            f"{user.get_full_name() or user.email} ({user.email})"
        )


class AnswerForm(forms.Form):
    saved_reply = forms.ModelChoiceField(
        label="Réponse type",
        queryset=SavedReply.objects.none(),
        required=False,
        empty_label="Aucune",
        help_text="Son texte est placé avant votre message.",
    )
    body = forms.CharField(
        label="Message au locataire",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # A form field, not BaseForm.files (the metaclass moves fields out of the class).
    files = CheckedFilesField(label="Pièces jointes")  # type: ignore[assignment]

    def __init__(self, *args, service_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_reply"].queryset = SavedReply.objects.filter(  # type: ignore[attr-defined]
            landlord_id=service_request.account.landlord_id
        ).filter(Q(category_id=service_request.category_id) | Q(category__isnull=True))

    def clean(self):
        data = super().clean() or {}
        reply = data.get("saved_reply")
        text = "\n\n".join(
            part for part in [reply.text if reply else "", data.get("body", "")] if part
        )
        if not text.strip():
            self.add_error("body", "Écrivez un message ou choisissez une réponse type.")
        data["text"] = text
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouvel état", choices=Status.choices)
    intervention_date = forms.DateField(
        label="Date de l'intervention",
        required=False,
        help_text="Pour « intervention prévue ».",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("status") == Status.PLANNED and not data.get("intervention_date"):
            self.add_error("intervention_date", "Indiquez la date de l'intervention.")
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note interne (jamais montrée au locataire)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez la note."},
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = RequestCategory
        fields = [
            "family",
            "name",
            "scope",
            "response_days",
            "urgency_notice",
            "position",
            "is_active",
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accepter", "Accepter l'attestation"), ("refuser", "Refuser l'attestation")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d'accepter ou de refuser."},
    )
    reason = forms.CharField(
        label="Motif du refus (lu par le locataire)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == "refuser" and not data.get("reason", "").strip():
            self.add_error("reason", "Indiquez le motif du refus : le locataire le lira.")
        return data


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["category", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, landlord, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RequestCategory.objects.filter(landlord=landlord)  # type: ignore[attr-defined]
        self.fields["category"].empty_label = "Toutes les catégories"  # type: ignore[attr-defined]
