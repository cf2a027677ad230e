"""The requests API for a landlord's ERP or maintenance system (django-ninja), at
/api/demandes/ on the landlord's host, with the same integration tokens as the payments
API ("Authorization: Bearer <token>"); OpenAPI documentation at /api/demandes/docs.

The ERP reads the requests created or changed since its last call and sends status
updates back; an update already applied changes nothing ("modifie": false).
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from payments.api import LandlordToken
from servicerequests import services
from servicerequests.models import ServiceRequest, Source, Status

PAGE_SIZE = 200

api = NinjaAPI(
    title="Espace Locataire : demandes des locataires",
    version="1",
    description="Les demandes des locataires et leurs changements, pour l'ERP ou l'outil de "
    "maintenance du bailleur, et les changements d'état en retour (docs/requests.md).",
    auth=LandlordToken(),
    urls_namespace="requests_api",
)


class StepOut(Schema):
    etat: str
    date_intervention: datetime.date | None
    rouverte: bool
    origine: str
    le: datetime.datetime


class RequestOut(Schema):
    identifiant: str
    reference: str
    compte: str
    agence: str
    famille: str
    categorie: str
    concerne: str
    etat: str
    date_intervention: datetime.date | None
    description: str
    ou: str
    disponibilites: str
    envoyee_le: datetime.datetime
    reponse_promise_avant: datetime.datetime
    modifiee_le: datetime.datetime
    reference_erp: str
    etapes: list[StepOut]


class PageOut(Schema):
    demandes: list[RequestOut]
    suite: datetime.datetime | None


class StatusIn(Schema):
    etat: Status
    date_intervention: datetime.date | None = None
    reference_erp: str = ""


class StatusOut(Schema):
    modifie: bool
    demande: RequestOut


def _out(item: ServiceRequest) -> dict:
    return {
        "identifiant": item.public_id,
        "reference": item.reference,
        "compte": item.account.number,
        "agence": item.account.agency.code if item.account.agency else "",
        "famille": item.category.family,
        "categorie": item.category.name,
        "concerne": item.category.scope,
        "etat": item.status,
        "date_intervention": item.intervention_date,
        "description": item.description,
        "ou": item.location,
        "disponibilites": item.availability,
        "envoyee_le": item.created_at,
        "reponse_promise_avant": item.due_at,
        "modifiee_le": item.updated_at,
        "reference_erp": item.erp_reference,
        "etapes": [
            {
                "etat": step.status,
                "date_intervention": step.intervention_date,
                "rouverte": step.reopened,
                "origine": step.source,
                "le": step.at,
            }
            for step in item.steps.all()
        ],
    }


def _requests(request):
    return (
        ServiceRequest.objects.filter(account__landlord=request.landlord)
        .select_related("account__agency", "category")
        .prefetch_related("steps")
    )


@api.get("/", response=PageOut, summary="Demandes nouvelles ou modifiées")
def changed(request, depuis: datetime.datetime | None = None):
    """The requests created or changed after `depuis` (all of them without it), oldest
    change first, 200 at most: call again with `depuis` = `suite` until `suite` is null."""
    items = _requests(request).order_by("updated_at", "pk")
    if depuis is not None:
        items = items.filter(updated_at__gt=depuis)
    page = list(items[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return {
        "demandes": [_out(item) for item in page],
        "suite": page[-1].updated_at if more else None,
    }


@api.get("/{identifiant}", response=RequestOut, summary="Une demande")
def one(request, identifiant: str):
    return _out(get_object_or_404(_requests(request), public_id=identifiant))


@api.post("/{identifiant}/etat", response=StatusOut, summary="Changer l'état d'une demande")
def update_status(request, identifiant: str, update: StatusIn):
    """The ERP's status update. Sending the same update again changes nothing
    ("modifie": false); a move the rules refuse answers 409 with the reason."""
    item = get_object_or_404(_requests(request), public_id=identifiant)
    try:
        changed = services.change_status(
            item,
            update.etat,
            source=Source.ERP,
            intervention_date=update.date_intervention,
        )
    except ValidationError as error:
        raise HttpError(409, error.messages[0]) from error
    if update.reference_erp:
        services.set_erp_reference(item, update.reference_erp)
    return {"modifie": changed, "demande": _out(get_object_or_404(_requests(request), pk=item.pk))}
