"""Django's database sessions, with one write for a session created by a sign-in.

Django's `cycle_key` (every sign-in) INSERTs the new session at once, with the data it held
before the sign-in, and the response then UPDATEs it with the signed-in user: two writes,
and a query first to check that the new random key is unused. Here the new key is only
chosen at `cycle_key`; the session is INSERTed once, by the response, with its final data.
The key is known from the start (allauth's record of the session stores it), and a key that
would already exist (32 random characters: it never happens) fails that INSERT rather than
overwriting another session: the INSERT is what proves a key unused, here as for every new
session (`create` then tries another key), so the query that checked first is gone.

Sessions are read through the shared cache (Django's `cached_db`: every write goes to the
database, then the cache), so a signed-in page does not query the session table. A cached
copy lives CACHE_SECONDS at most: the cache may miss a deletion (a sign-out or "end my
other sessions" while Redis did not answer, sent to the database cache meanwhile), and
such a session must not outlive its row for more than a minute.

A save of exactly what the last save of this request wrote (the same key, the same
data) writes nothing: the sign-in view writes its new session inside its own transaction
(accounts.views.sign_in), and SessionMiddleware's save after it, with nothing changed,
is no second statement.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.core.cache import caches
from django.db import IntegrityError, router
from django.utils.crypto import get_random_string

CACHE_SECONDS = 60
logger = logging.getLogger("django.contrib.sessions")  # cached_db's


class _ShortLivedCopies:
    """The session cache as cached_db uses it, each copy kept CACHE_SECONDS at most."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def set(self, key: str, value: Any, timeout: int) -> None:
        self._cache.set(key, value, min(timeout, CACHE_SECONDS))

    async def aset(self, key: str, value: Any, timeout: int) -> None:
        await self._cache.aset(key, value, min(timeout, CACHE_SECONDS))

    def __contains__(self, key: str) -> bool:
        return key in self._cache

    def __getattr__(self, name: str) -> Any:  # get, delete and their async forms
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    # A key chosen by cycle_key whose row is not written yet.
    _unsaved_key = False
    # The key and the serialized data of the last save.
    _written: tuple[str, bytes] | None = None

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache: Any = _ShortLivedCopies(caches[settings.SESSION_CACHE_ALIAS])

    def _get_new_session_key(self) -> str:
        # The INSERT with force_insert proves it unused (CreateError: create() tries again).
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        data = self._get_session()  # type: ignore[attr-defined]  # SessionBase's (no stub)
        key = self.session_key
        self._session_key = self._get_new_session_key()
        self._session_cache = data
        self._unsaved_key = True
        self.modified = True
        if key:
            self.delete(key)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            super().save(must_create=must_create)  # create(): a new key, then save() again
            return
        # The data as stored (a value changed in place is seen too).
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined]  # (no stub)
        written = (self.session_key, self.serializer().dumps(data))
        if written == self._written:
            return
        if self._unsaved_key:
            self._insert(data)
            self._unsaved_key = False
            try:  # the cached copy, as cached_db's save writes it after the row
                self._cache.set(self.cache_key, data, self.get_expiry_age())
            except Exception:
                logger.exception("Error saving to cache (%s)", self._cache)
        else:
            super().save(must_create=must_create)
        self._written = written

    def _insert(self, data: dict) -> None:
        """The new row, one INSERT without a savepoint of its own (Django's save makes one
        so that create() may try another key): a key taken already fails the request, in
        its transaction (the sign-in's) or alone (autocommit), as CreateError would."""
        row = self.create_model_instance(data)
        try:
            row.save(force_insert=True, using=router.db_for_write(self.model, instance=row))
        except IntegrityError as error:
            raise CreateError from error

    def delete(self, session_key: str | None = None) -> None:
        # One DELETE (Django loads the row first, then deletes it), then the cached copy.
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=session_key).delete()
        self._cache.delete(self.cache_key_prefix + session_key)

    @property
    def is_unsaved(self) -> bool:
        """Whether this session's key was chosen by cycle_key and has no row yet: no other
        row (allauth's record of the session included) can name it."""
        return self._unsaved_key
