from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ImportRun(models.Model):
    """One ERP file uploaded in the espace agence and its import, kept as history.

    The file itself is deleted from storage once the run is over; the report stays."""

    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", "comptes (locataires, contrats, signataires)"
        LEDGER = "ledger", "écritures (compte de chaque locataire)"

    class State(models.TextChoices):
        QUEUED = "queued", "en attente"
        RUNNING = "running", "en cours"
        SUCCEEDED = "succeeded", "importé"
        REFUSED = "refused", "refusé, rien n'a été importé"
        FAILED = "failed", "interrompu, rien n'a été importé"

    ACTIVE = (State.QUEUED, State.RUNNING)

    landlord = models.ForeignKey(
        "landlords.Landlord",
        on_delete=models.CASCADE,
        related_name="import_runs",
        verbose_name="bailleur",
    )
    kind = models.CharField("fichier", max_length=10, choices=Kind.choices)
    file_name = models.CharField("nom du fichier", max_length=255)
    stored_name = models.CharField("fichier stocké", max_length=300, blank=True)
    size_bytes = models.PositiveBigIntegerField("taille (octets)")
    encoding = models.CharField("encodage", max_length=20, default="auto")
    # A ledger file may complete a month: closed once imported (billing/periods.py).
    closes_period = models.DateField("mois complété", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déposé par",
    )
    state = models.CharField(
        "état", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    progress_bytes = models.PositiveBigIntegerField("octets lus", default=0)
    created = models.PositiveIntegerField("créés", default=0)
    updated = models.PositiveIntegerField("mis à jour", default=0)
    unchanged = models.PositiveIntegerField("inchangés", default=0)
    error_count = models.PositiveIntegerField("lignes en erreur", default=0)
    # [[line number, French message], ...]: every bad line (up to MAX_REPORTED_ERRORS).
    errors = models.JSONField("lignes en erreur", default=list, blank=True)
    message = models.TextField("message", blank=True)
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", default=timezone.now)

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One import at a time per landlord, even for two uploads at the same instant.
            models.UniqueConstraint(
                fields=["landlord"],
                condition=Q(state__in=["queued", "running"]),
                name="one_active_import_per_landlord",
            )
        ]

    def __str__(self):
        return f"{self.file_name} ({self.landlord.slug}, {self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.size_bytes:
            return 0
        return min(100, self.progress_bytes * 100 // self.size_bytes)

    @property
    def step(self) -> str:
        """What the import is doing, in words."""
        if self.state == self.State.QUEUED:
            return "En attente de démarrage"
        if self.state == self.State.RUNNING:
            if self.progress_bytes >= self.size_bytes:
                return "Enregistrement des lignes"
            return "Lecture et vérification du fichier"
        return self.get_state_display().capitalize()
