from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NewsItem(models.Model):
    """An actualité of a landlord for all its tenants, one agency's or one residence's.

    A residence is an address of the ERP's accounts file: the street line, postal code and
    city of current leases ("3 rue du Beffroi, 59000 Lille"), as `residence_key` says it.
    """

    class Audience(models.TextChoices):
        LANDLORD = "landlord", "tous les locataires du bailleur"
        AGENCY = "agency", "les locataires d'une agence"
        RESIDENCE = "residence", "les locataires d'une résidence"

    class State(models.TextChoices):
        DRAFT = "draft", "brouillon"
        PUBLISHED = "published", "publiée"
        WITHDRAWN = "withdrawn", "retirée"

    landlord = models.ForeignKey(
        "landlords.Landlord", on_delete=models.CASCADE, related_name="news", verbose_name="bailleur"
    )
    audience = models.CharField("destinataires", max_length=10, choices=Audience.choices)
    agency = models.ForeignKey(
        "landlords.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news",
        verbose_name="agence",
    )
    residence = models.CharField("résidence", max_length=320, blank=True)
    title = models.CharField("titre", max_length=150)
    body = models.TextField("texte")
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField("date de publication", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    created_at = models.DateTimeField("rédigée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    emailed_at = models.DateTimeField("envoyée par email le", null=True, blank=True)

    class Meta:
        verbose_name = "actualité"
        ordering = ["-publish_at", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="news_audience_has_its_target",
                condition=Q(audience="landlord", agency__isnull=True, residence="")
                | Q(audience="agency", agency__isnull=False, residence="")
                | (Q(audience="residence", agency__isnull=True) & ~Q(residence="")),
            ),
            models.CheckConstraint(
                name="published_news_has_a_date",
                condition=~Q(state="published") | Q(publish_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def audience_label(self) -> str:
        if self.audience == self.Audience.AGENCY:
            return self.agency.name if self.agency else ""
        if self.audience == self.Audience.RESIDENCE:
            return f"Résidence {self.residence}"
        return "Tous les locataires"

    def is_scheduled(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.PUBLISHED and self.publish_at > now

    def status_label(self, now=None) -> str:
        if self.state == self.State.PUBLISHED:
            when = timezone.localtime(self.publish_at)
            verb = "programmée pour le" if self.is_scheduled(now) else "publiée le"
            return f"{verb} {when:%d/%m/%Y à %H:%M}"
        return self.get_state_display()


def residence_key(address: str, postal_code: str, city: str) -> str:
    return f"{address.strip()}, {postal_code.strip()} {city.strip()}"


class NewsRead(models.Model):
    """A tenant has seen this actualité: it is no longer marked as new for them."""

    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("lue le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'actualité"
        constraints = [models.UniqueConstraint(fields=["news", "user"], name="one_read_per_user")]

    def __str__(self):
        return f"{self.user} : {self.news}"
