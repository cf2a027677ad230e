from django.conf import settings
from django.db import models
from django.utils import timezone

from staff.roles import Role, role_can


class StaffMember(models.Model):
    """A person's place in one landlord's team: their role and, for agents, their agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        verbose_name="utilisateur",
    )
    landlord = models.ForeignKey(
        "landlords.Landlord",
        on_delete=models.CASCADE,
        related_name="staff",
        verbose_name="bailleur",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    agencies = models.ManyToManyField(
        "landlords.Agency",
        blank=True,
        related_name="staff",
        verbose_name="agences",
        help_text="Pour un agent d'agence : les agences dont il voit les locataires.",
    )
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "membre de l'équipe"
        verbose_name_plural = "membres de l'équipe"
        ordering = ["landlord", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "landlord"], name="one_membership_per_landlord")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.landlord.slug})"

    def can(self, permission: str) -> bool:
        return role_can(self.role, permission)

    @property
    def is_agent(self) -> bool:
        """An agent sees only the accounts of their own agencies."""
        return self.role == Role.AGENT


class StaffInvitation(models.Model):
    """An email invitation to join a landlord's team: single use, short-lived, for its host."""

    landlord = models.ForeignKey(
        "landlords.Landlord", on_delete=models.CASCADE, related_name="+", verbose_name="bailleur"
    )
    email = models.EmailField("email")
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    agencies = models.ManyToManyField("landlords.Agency", blank=True, verbose_name="agences")
    token_hash = models.CharField(max_length=128, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="invité par",
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisée le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation de {self.email} ({self.landlord.slug})"
