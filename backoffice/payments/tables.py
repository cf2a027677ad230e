import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from backoffice.dashboard import PAYMENT_EXPECTED_WITHIN
from billing.money import format_euros
from payments.models import Payment, PaymentExport


class PaymentTable(tables.Table):
    reference = tables.Column(verbose_name="Référence")
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Créé le")
    account = tables.Column(verbose_name="Compte", accessor="account__number")
    amount_cents = tables.Column(verbose_name="Montant", attrs={"td": {"class": "amount"}})
    state = tables.Column(verbose_name="État")
    export = tables.Column(verbose_name="Lot d'export", accessor="export__number")

    class Meta:
        model = Payment
        fields = ["reference", "created_at", "account", "amount_cents", "state", "export"]
        template_name = "django_tables2/table.html"
        attrs = {"class": "bo-table"}
        order_by = "-created_at"
        empty_text = "Aucun paiement ne correspond à ces critères."

    def render_reference(self, record, value):
        url = reverse("backoffice:payment", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_amount_cents(self, value):
        return format_euros(value)

    def render_state(self, record):
        late = record.in_progress and record.created_at < timezone.now() - PAYMENT_EXPECTED_WITHIN
        label = record.get_state_display()
        return f"{label}, au-delà du délai attendu" if late else label


class ExportTable(tables.Table):
    number = tables.Column(verbose_name="Lot")
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Exporté le")
    channel = tables.Column(verbose_name="Par")
    count = tables.Column(verbose_name="Paiements", attrs={"td": {"class": "amount"}})
    total = tables.Column(verbose_name="Total", attrs={"td": {"class": "amount"}})
    download = tables.Column(verbose_name="Fichier", empty_values=(), orderable=False)

    CHANNELS = {"commande": "commande", "api": "API de l'ERP", "espace_agence": "espace agence"}

    class Meta:
        model = PaymentExport
        fields = ["number", "created_at", "channel", "count", "total", "download"]
        template_name = "django_tables2/table.html"
        attrs = {"class": "bo-table"}
        order_by = "-number"
        empty_text = "Aucun lot n'a encore été exporté."

    def render_number(self, record, value):
        url = reverse("backoffice:payment_export", args=[value])
        return format_html('<a href="{}">Lot {}</a>', url, value)

    def render_channel(self, value):
        return self.CHANNELS.get(value, value)

    def render_total(self, value):
        return format_euros(value or 0)

    def render_download(self, record):
        url = reverse("backoffice:payment_export_csv", args=[record.number])
        return format_html(
            '<a href="{}">Réexporter<span class="visually-hidden"> le lot {}</span> (CSV)</a>',
            url,
            record.number,
        )
