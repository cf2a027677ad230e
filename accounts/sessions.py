"""allauth's user sessions ("Vos appareils connectés") at a constant cost per sign-in.

allauth's own receiver of `user_logged_in` calls `UserSession.objects.purge_and_list`,
which loads and decodes every stored session of the user (about three queries each):
a tenant who never signs out pays for all their old sessions at each sign-in. Here a
sign-in deletes, in one statement, the user's rows whose session has expired or is gone,
then records the new session. A row whose session still exists but no longer
authenticates (its password hash changed) is dropped where the list is shown
(`accounts.profile.sessions_here`, allauth's full check). Rows of every user whose
session is over go with `purge_sessions`, run daily by `manage.py purge_sessions` after
Django's `clearsessions` (README, periodic jobs).
"""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone

DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _dead(user_sessions):
    live = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return user_sessions.filter(~Exists(live))


def purge_dead_sessions(user) -> None:
    """Forget the user's session rows whose session is over (one DELETE)."""
    from allauth.usersessions.models import UserSession

    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        UserSession.objects.purge_and_list(user)
        return
    _dead(UserSession.objects.filter(user_id=user.pk)).delete()


def purge_sessions() -> int:
    """Every user's rows of ended sessions: the periodic job's part (returns how many)."""
    from allauth.usersessions.models import UserSession

    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        removed = 0
        for row in UserSession.objects.iterator():
            removed += row.purge()
        return removed
    removed, _ = _dead(UserSession.objects.all()).delete()
    return removed


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Replaces allauth.usersessions' receiver: the same row, without the per-session purge."""
    from accounts.middleware import CLIENT, REFRESHED_AT, client_digest, record_user_session

    purge_dead_sessions(user)
    record_user_session(request)
    request.session[CLIENT] = client_digest(request)
    request.session[REFRESHED_AT] = int(timezone.now().timestamp())


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.usersessions import signals as usersessions_signals

    user_logged_in.disconnect(receiver=usersessions_signals.on_user_logged_in)
    user_logged_in.connect(
        on_user_logged_in, weak=False, dispatch_uid="accounts.sessions.on_user_logged_in"
    )
