import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from audit.models import AuditEvent
from tenancies.models import TenantAccount


class AccountTable(tables.Table):
    number = tables.Column(verbose_name="Numéro de compte", order_by="number")
    signatories = tables.Column(verbose_name="Signataires", empty_values=(), orderable=False)
    agency = tables.Column(verbose_name="Agence", accessor="agency__name")
    address = tables.Column(verbose_name="Adresse", empty_values=(), orderable=False)

    class Meta:
        model = TenantAccount
        fields = ["number", "signatories", "agency", "address"]
        attrs = {"class": "bo-table"}
        empty_text = "Aucun locataire ne correspond à cette recherche dans votre périmètre."

    def render_number(self, record, value):
        url = reverse("backoffice:tenant", args=[record.pk])
        return format_html('<a href="{}" class="account-number">{}</a>', url, value)

    def render_signatories(self, record):
        names = {str(s) for lease in record.leases.all() for s in lease.signatories.all()}
        return ", ".join(sorted(names)) or "—"

    def render_address(self, record):
        leases = list(record.leases.all())
        return f"{leases[0].address}, {leases[0].city}" if leases else "—"


class AuditTable(tables.Table):
    created_at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name="Date")
    action = tables.Column(verbose_name="Action", accessor="action")
    actor = tables.Column(verbose_name="Par", empty_values=())
    account = tables.Column(verbose_name="Compte", accessor="account__number")
    reason = tables.Column(verbose_name="Motif")
    ip = tables.Column(verbose_name="Adresse IP")

    class Meta:
        model = AuditEvent
        fields = ["created_at", "action", "actor", "account", "reason", "ip"]
        attrs = {"class": "bo-table"}
        empty_text = "Aucun événement ne correspond."

    def render_action(self, record):
        return record.action_label

    def render_actor(self, record):
        who = record.actor.email if record.actor else "—"
        return f"{who} ({record.get_actor_kind_display()})"
