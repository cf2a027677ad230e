from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from audit.actions import label


class AuditEvent(models.Model):
    """One row of the journal: a staff action or a security event, never a secret."""

    class ActorKind(models.TextChoices):
        STAFF = "staff", "équipe du bailleur"
        TENANT = "tenant", "locataire"
        SYSTEM = "system", "système"

    landlord = models.ForeignKey(
        "landlords.Landlord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name="bailleur",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_kind = models.CharField("type d'auteur", max_length=10, choices=ActorKind.choices)
    action = models.CharField("action", max_length=64)
    account = models.ForeignKey(
        "tenancies.TenantAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name="compte locataire",
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="connexion concernée",
    )
    object_type = models.CharField("type d'objet", max_length=50, blank=True)
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    reason = models.TextField("motif", blank=True)
    detail = models.JSONField("détail", default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["landlord", "-created_at"], name="audit_landlord_time"),
            models.Index(fields=["account", "-created_at"], name="audit_account_time"),
        ]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action_label}"

    @property
    def action_label(self) -> str:
        return label(self.action)
