import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from imports.models import ImportRun


class ImportRunTable(tables.Table):
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Déposé le")
    file_name = tables.Column(verbose_name="Fichier")
    kind = tables.Column(verbose_name="Type")
    uploaded_by = tables.Column(verbose_name="Par", accessor="uploaded_by__email")
    state = tables.Column(verbose_name="Résultat")
    counts = tables.Column(verbose_name="Lignes", empty_values=(), orderable=False)

    class Meta:
        model = ImportRun
        fields = ["created_at", "file_name", "kind", "uploaded_by", "state", "counts"]
        template_name = "django_tables2/table.html"
        attrs = {"class": "bo-table"}
        order_by = "-created_at"
        empty_text = "Aucun fichier n'a encore été importé depuis l'espace agence."

    def render_file_name(self, record, value):
        url = reverse("backoffice:import", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_kind(self, record):
        return "comptes" if record.kind == ImportRun.Kind.ACCOUNTS else "écritures"

    def render_counts(self, record):
        if record.state == ImportRun.State.SUCCEEDED:
            return (
                f"{record.created} créés, {record.updated} mis à jour, {record.unchanged} inchangés"
            )
        if record.error_count:
            return f"{record.error_count} en erreur"
        return "—"
