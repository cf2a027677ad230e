import django_filters
from django import forms

from audit.actions import ACTIONS
from audit.models import AuditEvent


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label="Action", choices=sorted(ACTIONS.items(), key=lambda item: item[1])
    )
    actor_kind = django_filters.ChoiceFilter(label="Auteur", choices=AuditEvent.ActorKind.choices)
    account = django_filters.CharFilter(
        label="Numéro de compte", field_name="account__number", lookup_expr="exact"
    )
    after = django_filters.DateFilter(
        label="Du",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = django_filters.DateFilter(
        label="Au",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_kind", "account", "after", "before"]
