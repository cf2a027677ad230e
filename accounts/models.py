from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from landlords.models import Landlord
from tenancies.models import Signatory, TenantAccount


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: one person, who may reach several accounts at several landlords."""

    email = models.EmailField("email", unique=True)
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    mobile_phone = models.CharField("téléphone mobile", max_length=20, blank=True)
    landline_phone = models.CharField("téléphone fixe", max_length=20, blank=True)
    is_staff = models.BooleanField("équipe du bailleur", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = "utilisateur"

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def accounts(self):
        """The tenant accounts this person may see: those of the leases they sign."""
        return TenantAccount.objects.filter(leases__signatories__access__user=self).distinct()


class Access(models.Model):
    """A signatory's own login to their lease's account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="accesses")
    signatory = models.OneToOneField(Signatory, on_delete=models.CASCADE, related_name="access")
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "accès"
        verbose_name_plural = "accès"

    def __str__(self):
        return f"{self.user} → {self.signatory}"


class TermsAcceptance(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    version = models.CharField("version", max_length=20)
    accepted_at = models.DateTimeField("acceptées le", default=timezone.now)

    class Meta:
        verbose_name = "acceptation des CGU"
        verbose_name_plural = "acceptations des CGU"

    def __str__(self):
        return f"{self.user} : CGU {self.version} le {self.accepted_at:%d/%m/%Y}"


class NewsConsent(models.Model):
    """Each change of the consent to the landlord's news emails, kept as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="news_consents")
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField("accepte les actualités par email")
    changed_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "consentement aux actualités"
        verbose_name_plural = "consentements aux actualités"
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.user} : {'oui' if self.granted else 'non'} le {self.changed_at:%d/%m/%Y}"


class SmsCode(models.Model):
    """A 6-digit one-time code sent by SMS; accounts/codes.py issues and consumes it."""

    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class PhoneCode(SmsCode):
    """A code sent to a signatory's mobile on file (sign-up, password reset)."""

    signatory = models.ForeignKey(Signatory, on_delete=models.CASCADE, related_name="phone_codes")

    class Meta:
        verbose_name = "code SMS"
        verbose_name_plural = "codes SMS"

    def __str__(self):
        return f"Code SMS pour {self.signatory} du {self.created_at:%d/%m/%Y %H:%M}"


class ActivationLetter(models.Model):
    """A one-time code posted to a signatory who does not know the mobile on file."""

    signatory = models.ForeignKey(
        Signatory, on_delete=models.CASCADE, related_name="activation_letters"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créé par"
    )
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "courrier d'activation"
        verbose_name_plural = "courriers d'activation"

    def __str__(self):
        return f"Courrier d'activation pour {self.signatory} du {self.created_at:%d/%m/%Y}"


class MobileChange(SmsCode):
    """A new mobile typed in "Mes infos", saved once the code sent to it is entered."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mobile_changes")
    phone = models.CharField("nouveau téléphone mobile", max_length=20)

    class Meta:
        verbose_name = "changement de mobile"
        verbose_name_plural = "changements de mobile"

    def __str__(self):
        return f"Nouveau mobile de {self.user} du {self.created_at:%d/%m/%Y %H:%M}"
