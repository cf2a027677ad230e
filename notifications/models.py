"""Web Push subscriptions: one per browser (device) that a tenant turned notifications on in."""

from django.conf import settings
from django.db import models


class PushSubscription(models.Model):
    """A browser's Web Push subscription (its push service's endpoint and keys), for one
    person at one landlord: notifications are sent in the name of the host's landlord."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    landlord = models.ForeignKey(
        "landlords.Landlord", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField("adresse du service de notification", max_length=1000)
    p256dh = models.CharField("clé publique du navigateur", max_length=200)
    auth = models.CharField("secret d'authentification", max_length=100)
    device = models.CharField("appareil", max_length=200, blank=True)
    show_amounts = models.BooleanField(
        "montants dans les notifications",
        default=False,
        help_text="Les notifications s'affichent sur l'écran verrouillé : sans montant par défaut.",
    )
    due_reminders = models.BooleanField("rappel trois jours avant l'échéance", default=False)
    created_at = models.DateTimeField("activé le", auto_now_add=True)
    last_sent_at = models.DateTimeField("dernier envoi", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement aux notifications"
        verbose_name_plural = "abonnements aux notifications"
        constraints = [
            models.UniqueConstraint(fields=["landlord", "endpoint"], name="push_endpoint_once"),
        ]

    def __str__(self) -> str:
        return self.device or "appareil"


class DueReminder(models.Model):
    """A due-date reminder already sent: the daily job sends each one once."""

    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="reminders"
    )
    account_id = models.BigIntegerField("compte")
    due_date = models.DateField("échéance")

    class Meta:
        verbose_name = "rappel d'échéance envoyé"
        verbose_name_plural = "rappels d'échéance envoyés"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "account_id", "due_date"], name="due_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_date:%d/%m/%Y}"
