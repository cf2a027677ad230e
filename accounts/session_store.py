"""Django's database sessions, with one write for a session created by a sign-in.

Django's `cycle_key` (every sign-in) INSERTs the new session at once, with the data it held
before the sign-in, and the response then UPDATEs it with the signed-in user: two writes,
and a query first to check that the new random key is unused. Here the new key is only
chosen at `cycle_key`; the session is INSERTed once, by the response, with its final data.
The key is known from the start (allauth's record of the session stores it), and a key that
would already exist (32 random characters: it never happens) fails that INSERT rather than
overwriting another session: the INSERT is what proves a key unused, here as for every new
session (`create` then tries another key), so the query that checked first is gone.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    # A key chosen by cycle_key whose row is not written yet.
    _unsaved_key = False

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
        if self._unsaved_key and self.session_key is not None:
            super().save(must_create=True)
            self._unsaved_key = False
            return
        super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        # One DELETE (Django loads the row first, then deletes it).
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=session_key).delete()

    @property
    def is_unsaved(self) -> bool:
        """Whether this session's key was chosen by cycle_key and has no row yet: no other
        row (allauth's record of the session included) can name it."""
        return self._unsaved_key
