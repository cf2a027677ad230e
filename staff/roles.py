"""What each role may do, as data: `StaffMember.can(permission)` reads this table.

Where a staff member may look (landlord, agencies) is decided by staff/access.py;
this table says which screens and actions each role has.
"""

from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "agent d'agence"
    CUSTOMER_RELATIONS = "relation_clientele", "relation clientèle"
    ACCOUNTING = "comptabilite", "comptabilité"
    ADMINISTRATOR = "administrateur", "administrateur du bailleur"


ALL = frozenset(Role)
ACTING_ON_TENANTS = frozenset({Role.AGENT, Role.CUSTOMER_RELATIONS, Role.ADMINISTRATOR})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Rechercher un locataire, fiche locataire, tableau de bord.
    "tenants.view": ALL,
    # Correct a mobile, print a letter, resend an activation email, lift a lock, close an access,
    # "voir comme le locataire", the "À débloquer" queue.
    "tenants.act": ACTING_ON_TENANTS,
    # Paiements (list, detail, provider events) and their exports.
    "payments.view": frozenset({Role.ACCOUNTING, Role.CUSTOMER_RELATIONS, Role.ADMINISTRATOR}),
    "payments.export": frozenset({Role.ACCOUNTING, Role.ADMINISTRATOR}),
    # Imports of the ERP's files.
    "imports.run": frozenset({Role.ACCOUNTING, Role.ADMINISTRATOR}),
    # Actualités (an agent only for their agencies, decided by the news screens).
    "news.publish": ACTING_ON_TENANTS,
    # Mes demandes of the tenants: the queue, answers, statuses, notes, the CSV export.
    "requests.handle": ACTING_ON_TENANTS,
    # The landlord's request categories and saved replies.
    "requests.configure": frozenset({Role.ADMINISTRATOR}),
    # Journal (filter and export) and the landlord's staff accounts.
    "journal.view": frozenset({Role.ADMINISTRATOR}),
    "staff.manage": frozenset({Role.ADMINISTRATOR}),
}


def role_can(role: str, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown staff permission {permission!r}: add it to staff/roles.py")
    return role in PERMISSIONS[permission]
