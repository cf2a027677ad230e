"""Integration tokens of a landlord's payments API: shown once, stored as a hash."""

import hashlib
import hmac
import secrets

from django.utils import timezone

from landlords.models import Landlord
from payments.models import ApiToken


def _secret_hash(secret: str) -> str:
    # The secret is 256 random bits: a plain hash is enough, no slow password hash needed.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_token(landlord: Landlord, name: str) -> tuple[ApiToken, str]:
    """A new token; the returned string is shown once and never stored."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        landlord=landlord, name=name, key_id=key_id, secret_hash=_secret_hash(secret)
    )
    return token, f"{key_id}.{secret}"


def authenticate_api_token(landlord: Landlord, presented: str) -> ApiToken | None:
    key_id, _, secret = presented.partition(".")
    token = ApiToken.objects.filter(landlord=landlord, key_id=key_id).first()
    # The same comparison whether or not the id exists.
    expected = token.secret_hash if token else _secret_hash(secrets.token_urlsafe(32))
    if not hmac.compare_digest(expected, _secret_hash(secret)) or token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
