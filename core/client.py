"""The client's address, the one place that knows about trusted proxies.

With `TRUSTED_PROXY_COUNT = 0` (the default) the address is `REMOTE_ADDR`: the
portal is reached directly, or the proxy rewrites `REMOTE_ADDR` itself. With N
proxies of our own in front, each appends the address it saw to
`X-Forwarded-For`, so the client is the N-th address from the right; whatever
is further left was written by the client and is not trusted. allauth's rate
limits read the same setting (`ALLAUTH_TRUSTED_PROXY_COUNT`) and, through the
account adapter, this same function.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def forwarded_address(forwarded_for: str, trusted_proxies: int) -> str | None:
    """The N-th address from the right of an X-Forwarded-For value, or None if it has fewer."""
    hops = [hop for hop in forwarded_for.split(",") if hop.strip()]
    if trusted_proxies <= 0 or len(hops) < trusted_proxies:
        return None
    return _address(hops[-trusted_proxies])


def client_ip(request) -> str:
    """The client's address as our own proxies saw it (see the module's docstring)."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        found = forwarded_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), trusted)
        if found:
            return found
        # Fewer hops than proxies: the request did not come through all of them.
    return _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
