"""VAPID keys (RFC 8292) in the form VAPID_PRIVATE_KEY holds: base64url of the raw key."""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_private_key() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return b64url(key.private_numbers().private_value.to_bytes(32, "big"))


def public_key_of(private_key: str) -> str:
    """The application server key browsers subscribe with (uncompressed P-256 point)."""
    from py_vapid import Vapid

    public = Vapid.from_string(private_key).public_key
    return b64url(public.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))
