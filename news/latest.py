"""Mon compte's latest actualités, from the shared cache.

Every Mon compte shows the few latest actualités a tenant may read: the same few for every
tenant of the same agencies and residences. They are kept in the cache with the landlord's
news generation they were read under, which any change to one of its actualités (saved or
deleted, through the espace agence, the admin or a task) replaces: a copy of another
generation is read again. The generation, the copy and the tenant's reads come in one round
trip. A copy lives CACHE_SECONDS at most, so an actualité scheduled for later appears within
a minute of its time. Which of them the tenant has read is kept beside, forgotten when they
read more.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from news.models import NewsItem, NewsRead

CACHE_SECONDS = 60


def _generation_key(landlord_pk: int) -> str:
    return f"news:generation:v1:{landlord_pk}"


def _reads_key(user_pk: int) -> str:
    return f"news:reads:v1:{user_pk}"


def _new_generation(landlord_pk: int) -> int:
    generation = time.time_ns()
    cache.set(_generation_key(landlord_pk), generation, None)
    return generation


def latest(user, landlord, count: int, agencies: set, residences: set, items) -> list[dict]:
    """The `count` latest of `items()` (for_tenant's query for this reach, built and run
    only when the cache has no copy of this generation), each marked new or not for `user`."""
    reach = repr((count, sorted(agencies), sorted(residences))).encode()
    shown_key = f"news:latest:v2:{landlord.pk}:{hashlib.blake2b(reach).hexdigest()}"
    generation_key, reads_key = _generation_key(landlord.pk), _reads_key(user.pk)
    found = cache.get_many([generation_key, reads_key, shown_key])
    generation = found.get(generation_key) or _new_generation(landlord.pk)
    copy_generation, shown = found.get(shown_key, (None, None))
    if copy_generation != generation:
        # Read under this generation: a change committed meanwhile replaces it again, and
        # this copy is then read again too.
        shown = list(items()[:count])
        cache.set(shown_key, (generation, shown), CACHE_SECONDS)
    read = found.get(reads_key)
    if read is None:
        read = set(NewsRead.objects.filter(user=user).values_list("news_id", flat=True))
        cache.set(reads_key, read, CACHE_SECONDS)
    return [{"item": item, "new": item.pk not in read} for item in shown]


def _now_and_after_commit(forget) -> None:
    # Again after the commit: a page read between the change and the commit may have
    # cached what was there before.
    forget()
    transaction.on_commit(forget)


def forget_reads(user_pk: int) -> None:
    """New reads of `user_pk` recorded: the next page reads them again."""
    _now_and_after_commit(lambda: cache.delete(_reads_key(user_pk)))


@receiver(post_save, sender=NewsItem, dispatch_uid="news.latest.item_saved")
@receiver(post_delete, sender=NewsItem, dispatch_uid="news.latest.item_deleted")
def _item_changed(sender, instance, **kwargs):
    landlord_pk = instance.landlord_id
    _now_and_after_commit(lambda: _new_generation(landlord_pk))
