"""Mes demandes: a tenant's technical or administrative request to the landlord, its
timeline, its thread and its files. The rules live in servicerequests/services.py."""

import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Family(models.TextChoices):
    TECHNICAL = "technique", "demande technique"
    ADMINISTRATIVE = "administrative", "demande administrative"


class Scope(models.TextChoices):
    DWELLING = "logement", "le logement"
    COMMON_AREAS = "parties_communes", "les parties communes"
    NONE = "aucun", "sans objet"


class RequestCategory(models.Model):
    """One entry of a landlord's list of request categories (data, edited by its
    administrator in the espace agence)."""

    landlord = models.ForeignKey(
        "landlords.Landlord",
        on_delete=models.CASCADE,
        related_name="request_categories",
        verbose_name="bailleur",
    )
    family = models.CharField("famille", max_length=20, choices=Family.choices)
    name = models.CharField("nom", max_length=100)
    scope = models.CharField(
        "concerne", max_length=20, choices=Scope.choices, default=Scope.DWELLING
    )
    response_days = models.PositiveSmallIntegerField(
        "délai de réponse promis (jours)",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    urgency_notice = models.TextField(
        "avertissement avant le formulaire",
        blank=True,
        help_text="Par exemple : « Fuite de gaz, dégât des eaux : appelez le numéro d'urgence ».",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("proposée aux locataires", default=True)

    class Meta:
        verbose_name = "catégorie de demande"
        verbose_name_plural = "catégories de demande"
        ordering = ["landlord", "family", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "name"], name="unique_request_category")
        ]

    def __str__(self):
        return self.name

    @property
    def response_time(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.response_days)


class SavedReply(models.Model):
    """A landlord's ready-made answer, offered to staff for one category (or all)."""

    landlord = models.ForeignKey(
        "landlords.Landlord", on_delete=models.CASCADE, related_name="saved_replies"
    )
    category = models.ForeignKey(
        RequestCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_replies",
        verbose_name="catégorie",
        help_text="Vide : proposée pour toutes les catégories.",
    )
    title = models.CharField("titre", max_length=100)
    text = models.TextField("texte")

    class Meta:
        verbose_name = "réponse type"
        verbose_name_plural = "réponses types"
        ordering = ["landlord", "title"]

    def __str__(self):
        return self.title


class Status(models.TextChoices):
    SENT = "envoyee", "envoyée"
    TAKEN = "prise_en_charge", "prise en charge"
    PLANNED = "intervention_prevue", "intervention prévue"
    RESOLVED = "resolue", "résolue"
    CLOSED = "cloturee", "clôturée"


def new_public_id() -> str:
    """The request's identifier in URLs and for the ERP: not a guessable sequence."""
    return secrets.token_hex(8)


class ServiceRequest(models.Model):
    account = models.ForeignKey(
        "tenancies.TenantAccount",
        on_delete=models.PROTECT,
        related_name="service_requests",
        verbose_name="compte locataire",
    )
    category = models.ForeignKey(
        RequestCategory,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name="catégorie",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="service_requests",
        verbose_name="déposée par",
    )
    public_id = models.CharField(
        "identifiant", max_length=16, unique=True, default=new_public_id, editable=False
    )
    description = models.TextField("description")
    location = models.CharField("où dans le logement", max_length=200, blank=True)
    availability = models.CharField("disponibilités", max_length=300, blank=True)
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.SENT)
    intervention_date = models.DateField("date d'intervention prévue", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        verbose_name="suivie par",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    due_at = models.DateTimeField("réponse promise avant le")
    answered_at = models.DateTimeField(
        "première réponse le",
        null=True,
        blank=True,
        help_text="Le premier message ou changement d'état de l'agence.",
    )
    resolved_at = models.DateTimeField("résolue le", null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        "note", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField("commentaire sur la réponse", blank=True)
    erp_reference = models.CharField("référence dans l'ERP", max_length=64, blank=True)

    class Meta:
        verbose_name = "demande"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="request_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="request_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"Demande {self.reference} ({self.category})"

    @property
    def reference(self) -> str:
        return f"D{self.pk:06d}"

    @staticmethod
    def late_filter(now: datetime.datetime) -> models.Q:
        """is_late's rule as a query."""
        return models.Q(answered_at__isnull=False, answered_at__gt=models.F("due_at")) | models.Q(
            answered_at__isnull=True, due_at__lt=now
        )

    def is_late(self, now: datetime.datetime | None = None) -> bool:
        """Not answered within the promised time (answered late, or still waiting past it)."""
        now = now or timezone.now()
        if self.answered_at is not None:
            return self.answered_at > self.due_at
        return now > self.due_at


class Source(models.TextChoices):
    TENANT = "portail", "locataire"
    STAFF = "agence", "agence"
    ERP = "erp", "ERP"


class StatusChange(models.Model):
    """One dated step of the request's timeline."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField("état", max_length=20, choices=Status.choices)
    intervention_date = models.DateField("date d'intervention", null=True, blank=True)
    reopened = models.BooleanField("rouverte par le locataire", default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(
        "origine", max_length=10, choices=Source.choices, default=Source.TENANT
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "étape"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} le {self.at:%d/%m/%Y}"


class Message(models.Model):
    """The thread between the tenant and the agency; `internal` notes stay with staff."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_staff = models.BooleanField("de l'agence", default=False)
    internal = models.BooleanField("note interne (jamais montrée au locataire)", default=False)
    body = models.TextField("message")
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message du {self.created_at:%d/%m/%Y}"


def attachment_path(instance, filename):
    return f"demandes/{instance.request.public_id}/{secrets.token_hex(8)}{filename}"


class Attachment(models.Model):
    """A checked, re-encoded file (servicerequests/files.py) of a request or a message."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField("fichier", upload_to=attachment_path)
    name = models.CharField("nom", max_length=120)
    content_type = models.CharField("type", max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


def certificate_path(instance, filename):
    return f"assurances/{instance.account.landlord.slug}/{secrets.token_hex(12)}{filename}"


class InsuranceCertificate(models.Model):
    """A home insurance certificate ("attestation d'assurance habitation") the tenant must
    give every year (loi du 6 juillet 1989, art. 7 g), checked by staff."""

    class State(models.TextChoices):
        PENDING = "en_attente", "en cours de vérification"
        ACCEPTED = "acceptee", "acceptée"
        REFUSED = "refusee", "refusée"

    account = models.ForeignKey(
        "tenancies.TenantAccount",
        on_delete=models.PROTECT,
        related_name="insurance_certificates",
        verbose_name="compte locataire",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField("fichier", upload_to=certificate_path)
    name = models.CharField("nom", max_length=120)
    content_type = models.CharField("type", max_length=50)
    size = models.PositiveIntegerField("taille (octets)")
    end_date = models.DateField("fin de validité")
    state = models.CharField("état", max_length=12, choices=State.choices, default=State.PENDING)
    refusal_reason = models.TextField("motif du refus", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("vérifiée le", null=True, blank=True)
    reminded_before_at = models.DateTimeField(
        "rappel 30 jours avant envoyé le", null=True, blank=True
    )
    reminded_on_end_at = models.DateTimeField("rappel à échéance envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("déposée le", default=timezone.now)

    class Meta:
        verbose_name = "attestation d'assurance habitation"
        verbose_name_plural = "attestations d'assurance habitation"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Attestation d'assurance du compte {self.account.number}"
