"""The Paiements list's filters: state (with "late"), dates, account, reference, amount."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from backoffice.dashboard import PAYMENT_EXPECTED_WITHIN
from payments.forms import parse_euros
from payments.models import Payment

IN_PROGRESS = [Payment.State.CREATED, Payment.State.PENDING]
# The URL's words ("?etat=en-retard", linked from the Tableau de bord), then the filter.
STATES = {
    "en-cours": ("en cours", lambda now: Q(state__in=IN_PROGRESS)),
    "en-retard": (
        "en cours au-delà du délai attendu",
        lambda now: Q(state__in=IN_PROGRESS, created_at__lt=now - PAYMENT_EXPECTED_WITHIN),
    ),
    "paye": ("payé", lambda now: Q(state=Payment.State.PAID)),
    "paye-non-exporte": (
        "payé, pas encore exporté",
        lambda now: Q(state=Payment.State.PAID, export__isnull=True),
    ),
    "refuse": ("refusé", lambda now: Q(state=Payment.State.FAILED)),
    "expire": ("expiré", lambda now: Q(state=Payment.State.EXPIRED)),
}


class AmountField(forms.CharField):
    """Euros as staff type them (470,30 or 470.30), cleaned to cents."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        cents = parse_euros(value)
        if cents is None:
            raise forms.ValidationError("Saisissez un montant en euros, par exemple 470,30.")
        return cents


class AmountFilter(django_filters.Filter):
    field_class = AmountField


def _date(label, lookup):
    return django_filters.DateFilter(
        label=label,
        field_name="created_at",
        lookup_expr=lookup,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PaymentFilter(django_filters.FilterSet):
    etat = django_filters.ChoiceFilter(
        label="État",
        choices=[(key, label) for key, (label, _q) in STATES.items()],
        empty_label="Tous",
        method="filter_state",
    )
    du = _date("Créé à partir du", "date__gte")
    au = _date("Créé jusqu'au", "date__lte")
    compte = django_filters.CharFilter(
        label="Numéro de compte", field_name="account__number", lookup_expr="exact"
    )
    reference = django_filters.CharFilter(
        label="Référence du paiement", field_name="reference", lookup_expr="iexact"
    )
    montant_min = AmountFilter(
        label="Montant minimum (€)", field_name="amount_cents", lookup_expr="gte"
    )
    montant_max = AmountFilter(
        label="Montant maximum (€)", field_name="amount_cents", lookup_expr="lte"
    )

    class Meta:
        model = Payment
        fields = ["etat", "du", "au", "compte", "reference", "montant_min", "montant_max"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(STATES[value][1](timezone.now()))
