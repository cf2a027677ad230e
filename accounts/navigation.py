"""The tenant's main places: the bottom bar on a phone, the top navigation on a computer.

`tenant_navigation` (a context processor) gives base.html the places of a signed-in
tenant, the current one marked (`aria-current="page"` in the template), and the address
they are asked to confirm where their access works before (accounts.activation).
"""

import functools
from dataclasses import dataclass

from django.urls import reverse
from heroicons.templatetags.heroicons import heroicon_outline

from accounts import activation
from accounts.access import tenant_account_list

DOCUMENT_PAGES = {
    "documents",
    "notice_page",
    "receipt",
    "certificate",
    "issued_page",
}


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    url: str
    icon: str  # SVG markup (SafeString), hidden from assistive technologies: the label says it
    current: bool


@functools.cache
def icon(name: str) -> str:
    """A heroicon's SVG, drawn once per process (each page's bar shows five)."""
    return heroicon_outline(name, size=24, aria_hidden="true", focusable="false")


def current_place(url_name: str | None, path: str) -> str:
    if url_name == "home":
        return "accueil"
    if url_name in DOCUMENT_PAGES:
        return "documents"
    if url_name and url_name.startswith("request_"):
        return "demandes"
    if url_name and (url_name.startswith(("profile", "mfa_")) or path.startswith("/compte/2fa/")):
        return "infos"
    if path.startswith(("/mon-compte/", "/paiement")):
        return "compte"
    return ""


def places(request) -> list[Place]:
    accounts = tenant_account_list(request)
    account = accounts[0] if accounts else None
    match = getattr(request, "resolver_match", None)
    here = current_place(match.url_name if match else None, request.path)
    items = [
        ("accueil", "Accueil", reverse("home"), "home"),
        ("compte", "Mon compte", reverse("dashboard"), "banknotes"),
    ]
    if account is not None:
        items.append(
            ("documents", "Mes documents", reverse("documents", args=[account.pk]), "document-text")
        )
    items += [
        ("demandes", "Mes demandes", reverse("request_list"), "chat-bubble-left-right"),
        ("infos", "Mes infos", reverse("profile"), "user-circle"),
    ]
    return [Place(key, label, url, icon(name), key == here) for key, label, url, name in items]


def tenant_navigation(request) -> dict:
    landlord = getattr(request, "landlord", None)
    user = getattr(request, "user", None)
    if (
        landlord is None
        or getattr(request, "is_backoffice", False)
        or user is None
        or not user.is_authenticated
    ):
        return {}
    address = activation.email_to_confirm(request)
    return {
        "app_places": places(request),
        "email_to_confirm": activation.masked(address.email) if address else "",
    }
