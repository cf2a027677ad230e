"""A local push service that speaks the Web Push protocol, as a browser's would.

- RFC 8030 delivery: a POST to the subscription's endpoint with a TTL header, answered
  201 Created with a Location; 404/410 for a subscription it does not know or was told
  to forget; or nothing at all when it is down (the connection is closed unanswered).
- RFC 8291 payload: `Content-Encoding: aes128gcm`, decrypted with the subscription's
  private key and auth secret (which this service, playing the browser, created).
- RFC 8292 VAPID: `Authorization: vapid t=<JWT>, k=<public key>`; the JWT's ES256
  signature is verified against `k`, which must be the application server key the
  subscription was made with; `aud` is the endpoint's origin, `exp` within 24 hours.

Anything else is refused with 400/401/403, as a real push service would.
"""

import base64
import json
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscription:
    """What a browser holds: its key pair, its auth secret, and the endpoint."""

    id: str
    endpoint: str
    server_key: str  # the application server key it was created with (VAPID public key)
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    messages: list = field(default_factory=list)

    def to_json(self) -> dict:
        """What PushSubscription.toJSON() gives a page."""
        public = self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


class PushService(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), PushHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.subscriptions: dict[str, Subscription] = {}
        self.refusals: list[tuple[int, str]] = []
        self.down = False
        self.lock = threading.Lock()

    def subscribe(self, server_key: str) -> Subscription:
        sub_id = secrets.token_urlsafe(12)
        subscription = Subscription(
            id=sub_id,
            endpoint=f"{self.url}/push/{sub_id}",
            server_key=server_key,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=secrets.token_bytes(16),
        )
        self.subscriptions[sub_id] = subscription
        return subscription

    def forget(self, subscription: Subscription) -> None:
        """The browser unsubscribed or was reset: the endpoint now answers 410 Gone."""
        self.subscriptions.pop(subscription.id, None)

    @contextmanager
    def running(self):
        thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.shutdown()
            self.server_close()
            thread.join()


class PushHandler(BaseHTTPRequestHandler):
    server: PushService

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        if self.server.down:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path = urlsplit(self.path).path
        if not path.startswith("/push/"):
            return self._answer(404, "no such endpoint")
        subscription = self.server.subscriptions.get(path.removeprefix("/push/"))
        if subscription is None:
            return self._answer(410, "subscription gone")
        ttl = self.headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            return self._answer(400, "TTL header missing (RFC 8030 5.2)")
        problem = self._vapid_problem(subscription)
        if problem:
            return self._answer(*problem)
        if self.headers.get("Content-Encoding") != "aes128gcm":
            return self._answer(415, "Content-Encoding must be aes128gcm (RFC 8291)")
        try:
            plain = http_ece.decrypt(
                body,
                private_key=subscription.private_key,
                auth_secret=subscription.auth,
                version="aes128gcm",
            )
        except Exception as error:
            return self._answer(400, f"payload not decrypted: {error}")
        with self.server.lock:
            subscription.messages.append(
                {"ttl": int(ttl), "urgency": self.headers.get("Urgency"), **json.loads(plain)}
            )
        self.send_response(201)
        self.send_header("Location", f"{self.server.url}/message/{secrets.token_urlsafe(8)}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _vapid_problem(self, subscription: Subscription) -> tuple[int, str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("vapid "):
            return 401, "VAPID authorization missing (RFC 8292 3)"
        params = dict(
            part.strip().split("=", 1) for part in header.removeprefix("vapid ").split(",")
        )
        token, key = params.get("t", ""), params.get("k", "")
        if key != subscription.server_key:
            return 403, "k is not the key this subscription was made with (RFC 8292 4.2)"
        try:
            head_b64, claims_b64, signature_b64 = token.split(".")
            head = json.loads(unb64url(head_b64))
            claims = json.loads(unb64url(claims_b64))
            signature = unb64url(signature_b64)
        except ValueError:
            return 401, "malformed JWT"
        if head.get("alg") != "ES256" or len(signature) != 64:
            return 401, "JWT must be ES256 (RFC 8292 2)"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return 401, "JWT signature does not verify"
        if claims.get("aud") != self.server.url:
            return 403, f"aud {claims.get('aud')!r} is not the endpoint's origin"
        exp = claims.get("exp")
        if not isinstance(exp, int) or not time.time() < exp <= time.time() + 24 * 3600:
            return 403, "exp must be within the next 24 hours (RFC 8292 2)"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return 403, "sub must be a mailto: or https: contact"
        return None

    def _answer(self, status: int, reason: str) -> None:
        self.server.refusals.append((status, reason))
        body = reason.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
