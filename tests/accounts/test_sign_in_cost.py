"""What one sign-in costs: one Argon2id verification at the configured parameters, no other
hashing (no rehash, no dummy hash for a login that exists), and its session written once.

The speed itself is measured by `make bench` (bench/web.py): sign-ins through the form
against raw verifications of the same hash.
"""

import collections
import importlib
import re

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts.test_sign_in import sign_in

pytestmark = pytest.mark.django_db

# The production settings' hashers (the test settings use MD5 to go fast).
PRODUCTION_HASHERS = [
    "config.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


# A statement on Django's session table itself (not one that only looks at it).
SESSION_STATEMENT = re.compile(
    r'(INSERT INTO|UPDATE|DELETE FROM) "django_session"|SELECT .* FROM "django_session"'
)


def session_statements(queries: CaptureQueriesContext) -> list[str]:
    """The verbs of the captured statements on Django's session table, in order."""
    return [
        query["sql"].split(" ", 1)[0]
        for query in queries.captured_queries
        if SESSION_STATEMENT.match(query["sql"])
    ]


@pytest.fixture
def hashing(settings, monkeypatch):
    """The configured Argon2id hasher, each of its verifications and hashings counted."""
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    hasher_class = type(get_hasher("default"))
    counts: collections.Counter = collections.Counter()
    verify, encode = hasher_class.verify, hasher_class.encode

    def counted_verify(self, password, encoded):
        counts["verify"] += 1
        return verify(self, password, encoded)

    def counted_encode(self, password, salt):
        counts["hash"] += 1
        return encode(self, password, salt)

    monkeypatch.setattr(hasher_class, "verify", counted_verify)
    monkeypatch.setattr(hasher_class, "encode", counted_encode)
    return counts


def test_the_configured_hasher_is_argon2id_with_owasp_parameters(hashing):
    assert importlib.import_module("config.settings").PASSWORD_HASHERS == PRODUCTION_HASHERS
    hasher = get_hasher("default")
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (2, 19_456, 1)


@pytest.mark.parametrize(
    ("landlord", "email", "login"),
    [
        ("aubervilliers", "jean@exemple.com", "jean@exemple.com"),
        # allauth's email backend used to hash a dummy password first for a tenant code.
        ("hdf", "sophie@exemple.com", "590 000 000 012 345"),
    ],
    ids=["email", "tenant code"],
)
def test_a_sign_in_verifies_the_password_hash_exactly_once(tenant, hashing, landlord, email, login):
    tenant(landlord, email=email)
    hashing.clear()

    response = sign_in(Client(), f"{landlord}.localhost", login)

    assert response["Location"] == "/mon-compte/"
    # No rehash (the hash has the configured parameters) and no dummy hash.
    assert hashing == {"verify": 1}


@pytest.mark.parametrize(
    ("host", "login"),
    [("aubervilliers.localhost", "personne@exemple.com"), ("hdf.localhost", "590000000099999")],
)
def test_an_unknown_login_still_costs_one_hashing(tenant, hashing, host, login):
    # Timing equalisation: an unknown identifier costs the hasher's work like a known one.
    tenant("aubervilliers", email="jean@exemple.com")
    tenant("hdf")
    hashing.clear()

    response = sign_in(Client(), host, login)

    assert response.status_code == 200
    assert hashing == {"hash": 1}


def test_an_old_hash_is_upgraded_once_then_signs_in_with_one_verification(
    tenant, hashing, settings
):
    settings.PASSWORD_HASHERS = [PRODUCTION_HASHERS[2], *PRODUCTION_HASHERS[:2]]
    user = tenant("aubervilliers", email="jean@exemple.com")  # a PBKDF2 hash
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    hashing.clear()

    sign_in(Client(), "aubervilliers.localhost", "jean@exemple.com")
    user.refresh_from_db()
    assert user.password.startswith("argon2_owasp$")
    assert hashing == {"hash": 1}  # the upgrade; PBKDF2's verification is not counted here
    hashing.clear()

    sign_in(Client(), "aubervilliers.localhost", "jean@exemple.com")
    assert hashing == {"verify": 1}


def test_a_sign_in_writes_its_new_session_once(tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    client = Client()
    client.get("/compte/login/", HTTP_HOST="aubervilliers.localhost")

    with CaptureQueriesContext(connection) as queries:
        response = sign_in(client, "aubervilliers.localhost", "jean@exemple.com")

    assert response["Location"] == "/mon-compte/"
    assert session_statements(queries) == ["INSERT"]
    page = client.get("/mon-compte/", HTTP_HOST="aubervilliers.localhost")
    assert page.status_code == 200


def test_a_sign_in_writes_everything_in_one_transaction(tenant):
    # The last login, allauth's row of the session, the audit row and the session itself:
    # one commit (a savepoint in the test's own transaction), one wait for the disk.
    tenant("aubervilliers", email="jean@exemple.com")
    client = Client()
    client.get("/compte/login/", HTTP_HOST="aubervilliers.localhost")

    with CaptureQueriesContext(connection) as queries:
        response = sign_in(client, "aubervilliers.localhost", "jean@exemple.com")

    assert response["Location"] == "/mon-compte/"
    verbs = [query["sql"].split(" ", 1)[0] for query in queries.captured_queries]
    opened, released = verbs.index("SAVEPOINT"), verbs.index("RELEASE")
    assert verbs.count("SAVEPOINT") == 1 and released == len(verbs) - 1
    writes = [n for n, verb in enumerate(verbs) if verb in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) == 4 and opened < writes[0] and writes[-1] < released
    assert 'INSERT INTO "django_session"' in queries.captured_queries[writes[-1]]["sql"]


def test_a_session_saved_again_unchanged_writes_nothing_and_a_change_is_written():
    from accounts.session_store import SessionStore

    session = SessionStore()
    session["panier"] = [1]
    session.save()
    with CaptureQueriesContext(connection) as queries:
        session.save()
    assert queries.captured_queries == []
    session["panier"].append(2)  # changed in place: seen too
    session.save()
    assert SessionStore(session.session_key).load()["panier"] == [1, 2]


def test_a_sign_in_from_a_session_in_progress_deletes_it_and_writes_the_new_one_once(tenant):
    tenant("aubervilliers", email="jean@exemple.com")
    client = Client()
    session = client.session  # stored, and its cookie set on the client
    session["vu"] = True
    session.save()
    before = session.session_key

    with CaptureQueriesContext(connection) as queries:
        response = sign_in(client, "aubervilliers.localhost", "jean@exemple.com")

    assert response["Location"] == "/mon-compte/"
    # Read at the request's start from the cache, the old one deleted, the new one written once.
    assert session_statements(queries) == ["DELETE", "INSERT"]
    assert not Session.objects.filter(session_key=before).exists()
    new = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert new.get_decoded()["vu"] is True


def test_a_session_deleted_during_the_sign_in_is_answered_as_sessionmiddleware_does(
    rf, monkeypatch
):
    from django.contrib.sessions.exceptions import SessionInterrupted
    from django.http import HttpResponse

    from accounts import views
    from accounts.session_store import SessionStore

    session = SessionStore()
    session["vu"] = True
    session.save()
    Session.objects.filter(session_key=session.session_key).delete()  # signed out elsewhere

    def login(request):
        request.session["encore"] = True
        return HttpResponse()

    monkeypatch.setattr(views.allauth_views, "login", login)
    request = rf.post("/compte/login/")
    request.session = session
    with pytest.raises(SessionInterrupted):
        views.sign_in(request)
