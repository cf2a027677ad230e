import pytest
from django.test import Client

PASSWORD = "Loyer-Payé-2026"
NUMBERS = {
    "hmp": "000123",
    "hdf": "590000000012345",
    "auvergne": "0212345678901",
    "aubervilliers": "123456",
}
LOGIN = "/_allauth/app/v1/auth/login"


class AppClient:
    """A store app on one landlord's host: JSON in and out, the session token in a header."""

    def __init__(self, slug: str):
        self.host = f"{slug}.localhost"
        self.client = Client(HTTP_HOST=self.host)
        self.token: str | None = None

    def _headers(self):
        return {"X-Session-Token": self.token} if self.token else {}

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self._headers(), **kwargs)

    def post(self, path, data=None):
        return self.client.post(
            path, data or {}, content_type="application/json", headers=self._headers()
        )

    def patch(self, path, data=None):
        return self.client.patch(
            path, data or {}, content_type="application/json", headers=self._headers()
        )

    def delete(self, path):
        return self.client.delete(path, headers=self._headers())

    def keep_token(self, response):
        token = (response.json().get("meta") or {}).get("session_token") or response.json().get(
            "session_token"
        )
        if token:
            self.token = token
        return response

    def sign_in(self, login, password=PASSWORD):
        return self.keep_token(self.post(LOGIN, {"login": login, "password": password}))


@pytest.fixture
def app_client():
    return AppClient
