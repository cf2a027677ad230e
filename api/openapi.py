"""The OpenAPI documents of the store apps' API, committed in docs/ and checked by the
tests (tests/api/test_openapi.py): regenerate them with `manage.py app_openapi`.

- docs/openapi.json: the tenants' API under /api/app/ (django-ninja);
- docs/openapi-allauth.json: allauth's headless endpoints for app clients under
  /_allauth/app/v1/, as this deployment configures them, with the portal's sign-in body
  (api/headless.py); allauth also serves it at /_allauth/openapi.json.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from core.allauth_bridge import get_schema

DOCUMENTS = {
    "app": Path("docs/openapi.json"),
    "allauth": Path("docs/openapi-allauth.json"),
}

LOGIN = {
    "type": "object",
    "description": "L'identifiant que demande le portail de ce bailleur, et le mot de passe. "
    "Après 5 échecs pour un identifiant, chaque essai attend (30 s, puis le double à chaque "
    "échec, une heure au plus) : le message le dit.",
    "required": ["login", "password"],
    "properties": {
        "login": {
            "type": "string",
            "description": "L'adresse email ; chez les bailleurs dont l'identifiant est le "
            "numéro de compte (le code locataire), ce numéro. « email » est accepté à la "
            "place de « login ».",
            "example": "jean.dupond@exemple.com",
        },
        "password": {"type": "string", "example": "Loyer-Payé-2026"},
    },
}


def app_api_document() -> dict[str, Any]:
    from api.api import api

    return api.get_openapi_schema(path_prefix="/api/app/")


def allauth_document() -> dict[str, Any]:
    spec = get_schema()
    spec["components"]["schemas"]["Login"] = LOGIN
    return spec


def rendered() -> dict[Path, str]:
    """Each committed document, as the code describes it now."""
    documents = {"app": app_api_document(), "allauth": allauth_document()}
    return {
        settings.BASE_DIR / path: json.dumps(documents[name], indent=2, ensure_ascii=False) + "\n"
        for name, path in DOCUMENTS.items()
    }
