"""Which landlord a host name serves, from the shared cache.

Every request resolves its host (`landlords.middleware.LandlordMiddleware`): the answer
is kept in the shared cache (Redis in production, so every process sees the same),
and forgotten as soon as a landlord or one of its hosts is saved or deleted (the
signals below; a host renamed forgets its old name too). Unknown hosts are not cached:
they are refused by ALLOWED_HOSTS or answered 404.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from landlords.models import Landlord, LandlordHost

CACHE_SECONDS = 3600


def _key(hostname: str) -> str:
    return f"landlord-host:v1:{hostname}"


def landlord_host(hostname: str) -> LandlordHost | None:
    """The host row of an active landlord, with its landlord."""
    key = _key(hostname)
    host = cache.get(key)
    if host is None:
        host = (
            LandlordHost.objects.select_related("landlord")
            .filter(hostname=hostname, landlord__is_active=True)
            .first()
        )
        if host is not None:
            cache.set(key, host, CACHE_SECONDS)
    return host


def forget(hostnames) -> None:
    cache.delete_many([_key(name) for name in hostnames])


@receiver(pre_save, sender=LandlordHost, dispatch_uid="landlords.hosts.renamed")
def _renamed(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        forget(LandlordHost.objects.filter(pk=instance.pk).values_list("hostname", flat=True))


@receiver(post_save, sender=LandlordHost, dispatch_uid="landlords.hosts.host_saved")
@receiver(post_delete, sender=LandlordHost, dispatch_uid="landlords.hosts.host_deleted")
def _host_changed(sender, instance, **kwargs):
    forget([instance.hostname])


@receiver(post_save, sender=Landlord, dispatch_uid="landlords.hosts.landlord_saved")
@receiver(post_delete, sender=Landlord, dispatch_uid="landlords.hosts.landlord_deleted")
def _landlord_changed(sender, instance, **kwargs):
    forget(LandlordHost.objects.filter(landlord_id=instance.pk).values_list("hostname", flat=True))
