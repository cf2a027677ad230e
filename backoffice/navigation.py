"""The back office's menu, as data: an entry shows only to the roles that have its permission.

A new screen adds its entry here (label, URL name in the "backoffice" namespace,
permission of staff/roles.py), in the order of the menu.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str


NAVIGATION = [
    NavItem("Tableau de bord", "backoffice:dashboard", "tenants.view"),
    NavItem("Rechercher un locataire", "backoffice:search", "tenants.view"),
    NavItem("À débloquer", "backoffice:unblock_queue", "tenants.act"),
    NavItem("Demandes", "backoffice:requests", "requests.handle"),
    NavItem("Assurances", "backoffice:insurance", "requests.handle"),
    NavItem("Paiements", "backoffice:payments", "payments.view"),
    NavItem("Imports", "backoffice:imports", "imports.run"),
    NavItem("Actualités", "backoffice:news", "news.publish"),
    NavItem("Journal", "backoffice:journal", "journal.view"),
    NavItem("Équipe", "backoffice:team", "staff.manage"),
]


def menu(member, current_url_name: str | None) -> list[dict]:
    entries = []
    for item in NAVIGATION:
        if not member.can(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a screen not built yet
            continue
        entries.append(
            {"label": item.label, "url": url, "current": item.url_name == current_url_name}
        )
    return entries
