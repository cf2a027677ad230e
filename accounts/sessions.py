"""allauth's user sessions ("Vos appareils connectés") at a constant cost per sign-in.

allauth's own receiver of `user_logged_in` calls `UserSession.objects.purge_and_list`,
which loads and decodes every stored session of the user (about three queries each):
a tenant who never signs out pays for all their old sessions at each sign-in. Here a
sign-in only records its new session (one INSERT). The user's rows whose session has
expired or is gone are deleted, in one statement, where the list is shown
(`accounts.profile.sessions_here`, before allauth's full check, which also drops a row
whose session still exists but no longer authenticates: its password hash changed), and
every user's with `purge_sessions`, run daily by `manage.py purge_sessions` after Django's
`clearsessions` (README, periodic jobs). A row of an ended session signs nobody in: it
only waits for one of these.
"""

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef
from django.utils import timezone

DATABASE_SESSION_ENGINES = {
    "accounts.session_store",
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _dead(user_sessions):
    live = Session.objects.filter(
        session_key=OuterRef("session_key"), expire_date__gt=timezone.now()
    )
    return user_sessions.filter(~Exists(live))


# A sign-in writes its session when it answers (accounts/session_store.py), after its own
# row here: a sign-in of the same user elsewhere in between must not take that row for dead.
JUST_SIGNED_IN = datetime.timedelta(minutes=1)


def purge_dead_sessions(user) -> None:
    """Forget the user's session rows whose session is over (one DELETE)."""
    from allauth.usersessions.models import UserSession

    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        UserSession.objects.purge_and_list(user)
        return
    rows = UserSession.objects.filter(
        user_id=user.pk, created_at__lt=timezone.now() - JUST_SIGNED_IN
    )
    _dead(rows).delete()


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
    from accounts.middleware import client_digest, mark_recorded, record_user_session

    if getattr(request.session, "is_unsaved", False):
        # A key chosen by this sign-in: no row names it yet, one INSERT (allauth's
        # get_or_create costs a SELECT and two savepoints more).
        record_new_user_session(request)
    else:
        record_user_session(request)
    mark_recorded(request.session, client_digest(request), int(timezone.now().timestamp()))


def record_new_user_session(request) -> None:
    """allauth's row for a session that has none yet, with what create_from_request stores."""
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    user_agent = request.META.get("HTTP_USER_AGENT", "")
    UserSession.objects.create(
        user=request.user,
        ip=get_adapter().get_client_ip(request),
        user_agent=user_agent[: UserSession._meta.get_field("user_agent").max_length],
        session_key=request.session.session_key,
    )


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from allauth.usersessions import signals as usersessions_signals

    user_logged_in.disconnect(receiver=usersessions_signals.on_user_logged_in)
    user_logged_in.connect(
        on_user_logged_in, weak=False, dispatch_uid="accounts.sessions.on_user_logged_in"
    )
