import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.http.request import split_domain_port

from core import french
from landlords import passwords, wording
from landlords.colors import HEX_COLOR, MIN_TEXT_CONTRAST, WHITE, contrast_ratio


class IdentityProof(models.TextChoices):
    SIGNATORY_DETAILS = "signatory_details", "numéro de compte, nom, prénom et date de naissance"
    PHONE_SMS = "phone_sms", "numéro de compte et code SMS envoyé au mobile connu"
    LETTER_CODE = "letter_code", "code reçu par courrier"


class LoginIdentifier(models.TextChoices):
    EMAIL = "email", "adresse email"
    ACCOUNT_NUMBER = "account_number", "numéro de compte"


class Landlord(models.Model):
    """A social landlord: its brand, its host names and its rules, all as data."""

    slug = models.SlugField(
        "code", unique=True, help_text="Code court utilisé par les imports, par exemple « hmp »."
    )
    name = models.CharField("nom", max_length=200)
    name_with_article = models.CharField(
        "nom précédé de son article",
        max_length=220,
        blank=True,
        help_text="Le nom tel qu'il se lit après « de » ou « à », avec son article : "
        "« l'OPH d'Aubervilliers ». Vide quand le nom n'en prend pas (« Habitat "
        "Hauts-de-France » : « d'Habitat Hauts-de-France »).",
    )
    tagline = models.CharField("sous-titre", max_length=200, blank=True)
    logo = models.FileField(
        "logo",
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["svg", "png", "jpg", "jpeg", "webp"])],
    )
    brand_color = models.CharField(
        "couleur principale",
        max_length=7,
        default="#1f4e99",
        validators=[RegexValidator(HEX_COLOR, "Couleur au format #RRVVBB.")],
        help_text="Fond des boutons et bandeaux, texte blanc dessus : contraste de 4,5:1 minimum.",
    )
    account_number_label = models.CharField(
        "libellé du numéro de compte", max_length=100, default="Numéro de compte client"
    )
    account_number_help = models.CharField(
        "aide pour le numéro de compte",
        max_length=300,
        blank=True,
        default="Disponible sur votre avis de loyer",
    )
    account_number_pattern = models.CharField(
        "format du numéro de compte (expression régulière)",
        max_length=200,
        default=r"\d{6}",
        help_text=r"Le numéro entier doit correspondre, par exemple « 02\d{11} ».",
    )
    account_number_example = models.CharField(
        "exemple de numéro de compte", max_length=40, blank=True
    )
    identity_proof = models.CharField(
        "preuve d'identité à l'inscription",
        max_length=20,
        choices=IdentityProof.choices,
        default=IdentityProof.SIGNATORY_DETAILS,
    )
    captcha_enabled = models.BooleanField("vérification anti-robot", default=False)
    asks_phones_at_signup = models.BooleanField(
        "demander les téléphones fixe et mobile à l'inscription", default=False
    )
    signup_terms_step = models.BooleanField("CGU sur une étape d'inscription à part", default=False)
    email_activation = models.BooleanField(
        "activation de l'accès par email",
        default=True,
        help_text="Décoché : l'accès fonctionne dès la fin de l'inscription (le téléphone a été "
        "vérifié par SMS) et l'adresse email est confirmée ensuite ; un bandeau le rappelle "
        "et le mot de passe oublié par email attend cette confirmation.",
    )
    wording = models.JSONField(
        "libellés propres au bailleur",
        default=dict,
        blank=True,
        help_text="Les mots de ses guides, par clé (landlords/wording.py les liste avec les "
        'libellés par défaut), par exemple {"login_submit": "ME CONNECTER"}.',
    )
    data_protection_notice = models.TextField(
        "information sur les données personnelles (RGPD, art. 13)",
        blank=True,
        help_text="Affichée sous chaque formulaire qui recueille des données personnelles. "
        "Vide : un texte général au nom du bailleur.",
    )
    from_email = models.EmailField(
        "adresse d'envoi des emails",
        blank=True,
        help_text="Les emails partent de cette adresse, au nom du bailleur. Vide : l'adresse "
        "de la plateforme (DEFAULT_FROM_EMAIL).",
    )
    login_identifier = models.CharField(
        "identifiant de connexion",
        max_length=20,
        choices=LoginIdentifier.choices,
        default=LoginIdentifier.EMAIL,
    )
    password_min_length = models.PositiveSmallIntegerField(
        "longueur minimale du mot de passe", default=passwords.MIN_LENGTH_FLOOR
    )
    password_character_kinds = models.CharField(
        "types de caractères exigés",
        max_length=20,
        choices=passwords.CharacterKinds.choices,
        default=passwords.CharacterKinds.NONE,
    )
    min_payment_cents = models.PositiveIntegerField(
        "paiement en ligne minimum (centimes)", default=2000
    )
    rent_due_day = models.PositiveSmallIntegerField(
        "jour limite de paiement",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Jour du mois où le loyer du mois est dû (date limite de paiement de l'avis).",
    )
    ledger_closing_day = models.PositiveSmallIntegerField(
        "jour de clôture des écritures",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=(
            "Jour du mois où l'ERP transmet d'habitude les écritures du mois : les avis "
            "d'échéance du mois sont publiés à la clôture du mois, attendue ce jour-là."
        ),
    )
    postal_address = models.TextField(
        "adresse postale du siège",
        blank=True,
        help_text="Imprimée sur les avis d'échéance, quittances et attestations.",
    )
    terms_text = models.TextField("conditions générales d'utilisation", blank=True)
    terms_version = models.CharField("version des CGU", max_length=20, default="1")
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "bailleur"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="password_rule_above_floor",
                condition=(
                    models.Q(password_min_length__lte=passwords.MAX_LENGTH)
                    & (
                        models.Q(password_min_length__gte=passwords.MIN_LENGTH_FLOOR)
                        | models.Q(
                            password_min_length__gte=passwords.MIN_LENGTH_WITH_THREE_KINDS,
                            password_character_kinds__in=passwords.RULES_ALLOWING_SHORT_PASSWORDS,
                        )
                    )
                ),
                violation_error_message=(
                    "Règle de mot de passe trop faible : au moins 12 caractères, "
                    "ou 8 avec au moins trois types de caractères exigés."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        try:
            re.compile(self.account_number_pattern)
        except re.error as exc:
            errors["account_number_pattern"] = f"Expression régulière invalide : {exc}."
        if (
            self.ledger_closing_day
            and self.rent_due_day
            and (self.ledger_closing_day > self.rent_due_day)
        ):
            errors["ledger_closing_day"] = (
                "La clôture des écritures doit précéder la date limite de paiement "
                f"(le {self.rent_due_day} du mois) : l'avis est émis avant d'être dû."
            )
        if HEX_COLOR.match(self.brand_color or "") and (
            contrast_ratio(self.brand_color, WHITE) < MIN_TEXT_CONTRAST
        ):
            ratio = contrast_ratio(self.brand_color, WHITE)
            errors["brand_color"] = (
                f"Contraste insuffisant avec le texte blanc : {ratio:.2f}:1 "
                f"(minimum {MIN_TEXT_CONTRAST}:1)."
            )
        unknown = sorted(set(self.wording or {}) - set(wording.DEFAULTS))
        if unknown:
            errors["wording"] = "Clés inconnues : " + ", ".join(unknown) + "."
        if errors:
            raise ValidationError(errors)

    @property
    def name_in_sentence(self) -> str:
        """The name as a sentence says it: "l'OPH d'Aubervilliers", "Auvergne Habitat"."""
        return self.name_with_article or self.name

    @property
    def of_name(self) -> str:
        """ "de" + the name: "de l'OPH d'Aubervilliers", "d'Habitat Hauts-de-France"."""
        return french.de(self.name_in_sentence)

    @property
    def to_name(self) -> str:
        """ "à" + the name: "à l'OPH d'Aubervilliers", "à Habitat Hauts-de-France"."""
        return french.a(self.name_in_sentence)

    def word(self, key: str) -> str:
        """A button's or link's words, as this landlord's guides say them."""
        return wording.word(self.wording, key)

    @property
    def data_protection_text(self) -> str:
        return self.data_protection_notice or wording.default_data_protection_notice(self)

    def account_number_is_valid(self, number: str) -> bool:
        # ASCII: "\d" must not accept other scripts' digits.
        return re.fullmatch(self.account_number_pattern, number, flags=re.ASCII) is not None

    def password_problems(self, password: str) -> list[str]:
        return passwords.password_problems(
            password, self.password_min_length, self.password_character_kinds
        )

    @property
    def password_rule_text(self) -> str:
        return passwords.rule_text(self.password_min_length, self.password_character_kinds)

    def site_url(self, request, path: str = "/") -> str | None:
        """This landlord's portal as seen from `request` (same scheme and port), or None."""
        if not self.primary_host:
            return None
        _domain, port = split_domain_port(request.get_host())
        return f"{request.scheme}://{self.primary_host}{f':{port}' if port else ''}{path}"

    def public_url(self, path: str = "/") -> str:
        """This landlord's portal for what leaves the site (QR codes, letters): no request to
        copy the scheme and port from, so HTTPS and PUBLIC_PORT say them."""
        port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
        return f"{'https' if settings.HTTPS else 'http'}://{self.primary_host}{port}{path}"

    def tenants_url(self, request, path: str = "/") -> str:
        """A link for this landlord's tenants to open later (an email's): on the tenants'
        host the request came to, inside the scope "/" of the application installed from
        it; asked from the espace agence, another host or no request (a task), on the
        primary tenants' host (public_url)."""
        on_tenants_host = not getattr(request, "is_backoffice", False)
        if getattr(request, "landlord", None) == self and on_tenants_host:
            return request.build_absolute_uri(path)
        return self.public_url(path)

    @property
    def primary_host(self):
        """The tenants' portal host name (never the espace agence's)."""
        return self._first_host(LandlordHost.Kind.TENANTS)

    @property
    def agence_host(self):
        """The back office's host name, where the landlord's staff work."""
        return self._first_host(LandlordHost.Kind.AGENCE)

    def _first_host(self, kind):
        # Sorted here rather than in SQL so that prefetch_related("hosts") serves it.
        hosts = sorted(
            (host for host in self.hosts.all() if host.kind == kind),
            key=lambda host: (not host.is_primary, host.hostname),
        )
        return hosts[0].hostname if hosts else None


class LandlordHost(models.Model):
    class Kind(models.TextChoices):
        TENANTS = "locataires", "portail locataires"
        AGENCE = "agence", "espace agence"

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="hosts")
    hostname = models.CharField(
        "nom d'hôte",
        max_length=253,
        unique=True,
        help_text="Sans le port ni « https:// », par exemple « locataires.exemple.fr ».",
    )
    kind = models.CharField(
        "type",
        max_length=20,
        choices=Kind.choices,
        default=Kind.TENANTS,
        help_text="Portail des locataires, ou espace agence où travaille l'équipe du bailleur.",
    )
    is_primary = models.BooleanField("adresse principale", default=False)

    class Meta:
        verbose_name = "nom d'hôte"
        verbose_name_plural = "noms d'hôte"

    def __str__(self):
        return self.hostname

    def save(self, *args, **kwargs):
        self.hostname = self.hostname.strip().lower()
        super().save(*args, **kwargs)


class Agency(models.Model):
    """A landlord's local office, the tenant's contact."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="agencies")
    code = models.CharField("code", max_length=20, help_text="Code de l'agence dans l'ERP.")
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse", max_length=200)
    postal_code = models.CharField("code postal", max_length=10)
    city = models.CharField("ville", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("email", blank=True)
    opening_hours = models.TextField("horaires d'ouverture", blank=True)

    class Meta:
        verbose_name = "agence"
        ordering = ["landlord", "name"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "code"], name="unique_agency_code")
        ]

    def __str__(self):
        return self.name
