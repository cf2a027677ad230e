"""The words of buttons and links that differ between landlords' guides, as data.

`Landlord.wording` holds a landlord's own words by key; a key it does not set reads
the default below. Templates say `{% word "login_submit" %}` (landlords.templatetags.wording).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import french

if TYPE_CHECKING:
    from landlords.models import Landlord

DEFAULTS: dict[str, str] = {
    # The sign-in page.
    "login_identifier": "Identifiant",
    "login_password": "Mot de passe",
    "login_submit": "Se connecter",
    "login_forgotten": "Mot de passe oublié",
    "login_signup_intro": "",
    "login_signup": "Créez un compte dès maintenant !",
    # The sign-up's steps.
    "signup_next": "Suivant",
    "signup_finish": "Terminer",
    "signup_back": "Retour",
    # The end of a sign-up without activation by email (Landlord.email_activation off).
    "signup_operational": "Votre accès est ouvert",
}


def word(overrides: dict | None, key: str) -> str:
    if key not in DEFAULTS:
        raise KeyError(f"unknown wording key: {key}")
    value = (overrides or {}).get(key)
    return value if isinstance(value, str) and value.strip() else DEFAULTS[key]


def default_data_protection_notice(landlord: Landlord) -> str:
    """Art. 13 RGPD, for a landlord that has not written its own text."""
    name = landlord.name_in_sentence
    return (
        f"{french.capitalize_first(name)}, responsable de traitement, utilise les données "
        "saisies ici pour créer et gérer votre accès à l'espace locataire et pour répondre à "
        "vos demandes relatives à votre contrat de location (base légale : l'exécution du "
        "contrat). Elles sont réservées à ses services et conservées pendant la durée de votre "
        "contrat. Vous pouvez y accéder, les faire rectifier ou effacer, vous opposer à leur "
        f"traitement ou en limiter l'usage en écrivant à votre agence ; vous pouvez aussi "
        "adresser une réclamation à la CNIL (www.cnil.fr). Plus d'informations dans les "
        "conditions générales d'utilisation."
    )
