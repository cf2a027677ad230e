import pytest
from django.test import RequestFactory

from core.client import client_ip, forwarded_address


def request(remote="198.51.100.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request(forwarded="203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        # One proxy of ours appended the address it saw: the rightmost one.
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the left part itself: never trusted.
        (1, "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        # Two proxies in a row: the second from the right.
        (2, "10.0.0.1, 203.0.113.9, 192.0.2.44", "203.0.113.9"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, " 2001:DB8::1 ", "2001:db8::1"),
    ],
)
def test_with_n_trusted_proxies_the_nth_address_from_the_right(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.9", "pas-une-adresse"])
def test_a_header_shorter_than_the_proxies_or_invalid_falls_back_to_remote_addr(
    settings, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 2 if forwarded == "203.0.113.9" else 1

    assert client_ip(request(forwarded=forwarded)) == "198.51.100.7"


def test_forwarded_address_counts_hops():
    assert forwarded_address("a, b", 3) is None
    assert forwarded_address("192.0.2.1, 192.0.2.2", 2) == "192.0.2.1"


def test_allauth_rate_limits_see_the_same_address(settings):
    from allauth.account.adapter import get_adapter

    settings.TRUSTED_PROXY_COUNT = 1
    forwarded = request(forwarded="10.0.0.1, 203.0.113.9")

    assert get_adapter(forwarded).get_client_ip(forwarded) == "203.0.113.9"


@pytest.mark.parametrize(("raw", "shown"), [("2", "2 2"), ("", "0 0")])
def test_the_count_comes_from_the_environment_and_allauth_uses_it_too(raw, shown):
    from tests.test_settings_from_environment import PRODUCTION, manage

    printed = "from django.conf import settings as s; "
    printed += "print(s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = manage("shell", "-c", printed, **PRODUCTION, TRUSTED_PROXY_COUNT=raw)

    assert result.stdout.strip().splitlines()[-1] == shown, result.stderr


@pytest.mark.parametrize("raw", ["-1", "un"])
def test_a_wrong_count_stops_the_start(raw):
    from tests.test_settings_from_environment import PRODUCTION, manage

    result = manage("check", **PRODUCTION, TRUSTED_PROXY_COUNT=raw)

    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be" in result.stderr
