"""The payments API for a landlord's ERP (django-ninja), at /api/ on the landlord's host.

Authenticated by an integration token ("Authorization: Bearer <token>") of this host's
landlord; OpenAPI documentation at /api/docs.
"""

import datetime

from csp.decorators import csp_update
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from landlords.requests import LandlordRequest
from payments.models import ApiToken, PaymentExport
from payments.services import authenticate_api_token, export_confirmed_payments, export_lines


class LandlordToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        landlord = getattr(request, "landlord", None)
        if landlord is None:
            return None
        return authenticate_api_token(landlord, token)


api = NinjaAPI(
    title="Espace Locataire : paiements en ligne",
    version="1",
    description="Les paiements en ligne confirmés, leurs remboursements et annulations, par "
    "lots, pour l'ERP du bailleur (docs/payments.md).",
    auth=LandlordToken(),
    urls_namespace="payments_api",
    # Swagger UI's stylesheet draws its icons as data: images; only this page allows them.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)


class PaymentOut(Schema):
    compte: str
    reference: str
    date: datetime.date
    heure: datetime.time
    montant_cents: int
    libelle: str
    prestataire: str
    transaction: str
    type: str
    paiement: str


class BatchOut(Schema):
    lot: int | None
    exporte_le: datetime.datetime | None
    paiements: list[PaymentOut]


def _batch(export: PaymentExport | None) -> dict[str, object]:
    if export is None:
        return {"lot": None, "exporte_le": None, "paiements": []}
    return {
        "lot": export.number,
        "exporte_le": export.created_at,
        "paiements": export_lines(export),
    }


@api.post("/paiements/lots", response=BatchOut, summary="Exporter les paiements confirmés")
def new_batch(request: LandlordRequest) -> dict[str, object]:
    """A new batch of the confirmed payments not yet exported, each marked exported so that it
    goes out only once ("lot": null and no payment when there is nothing new)."""
    return _batch(export_confirmed_payments(request.landlord, channel="api"))


@api.get("/paiements/lots/{number}", response=BatchOut, summary="Relire un lot")
def past_batch(request: LandlordRequest, number: int) -> dict[str, object]:
    """A past batch, as it was exported."""
    return _batch(get_object_or_404(PaymentExport, landlord=request.landlord, number=number))
