"""The tenants' API for store apps (django-ninja), at /api/app/ on each landlord's host.

The same rules as the portal's pages, called the same way: every account through
accounts.access (another tenant's account, request or document answers 404), the
balance and history from billing.statement, the documents from documents.services, the
payment from payments.services, the requests from servicerequests.services, the news from
news.services, Mes infos from accounts.profile. Signing in, activation, reset and sign-out
are allauth's headless endpoints under /_allauth/app/v1/ (api/headless.py); the app sends
the session token they give in the `X-Session-Token` header (api/auth.py). docs/api.md.
"""

import datetime
from typing import Any

from csp.decorators import csp_update
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Path, Status
from ninja.errors import ValidationError as NinjaValidationError

from accounts import profile
from accounts.access import tenant_account_or_404, tenant_accounts
from accounts.codes import TOO_MANY_CODES, TooManyCodes
from accounts.profile_forms import EmailChangeForm, MobileCodeForm, PhonesForm
from api import schemas
from api.auth import SessionToken, with_token_sessions
from api.signup import form_errors
from api.signup import router as signup_router
from billing import statement
from core import throttle
from core.phones import national
from documents import services as documents
from documents.models import IssuedDocument
from documents.views import _issued_pdf_response, _pdf_response
from news import services as news
from payments import services as payments
from payments.models import Payment
from payments.providers import ProviderUnavailable
from servicerequests import services as requests_rules
from servicerequests.forms import RequestForm
from servicerequests.models import RequestCategory
from servicerequests.views import FREE_REQUESTS, visible_requests
from tenancies.models import TenantAccount

api = NinjaAPI(
    title="Espace Locataire : application mobile",
    version="1",
    description="L'API des applications mobiles d'un bailleur, sur le domaine de son portail : "
    "comptes, solde, historique, documents, règlement en ligne, demandes, actualités et "
    "informations personnelles du locataire connecté. La connexion, l'activation, le mot de "
    "passe oublié et la déconnexion sont les points d'accès « headless » de django-allauth "
    "sous /_allauth/app/v1/ ; l'application envoie le jeton de session qu'ils donnent dans "
    "l'en-tête X-Session-Token (docs/api.md).",
    auth=SessionToken(),
    urls_namespace="app_api",
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
api.add_router("/", signup_router)

ERRORS = {400: schemas.ErrorOut, 401: schemas.ErrorOut, 404: schemas.ErrorOut}
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
PDF = {
    "responses": {
        200: {
            "description": "Le document, en PDF.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", [])[1:]) or "__all__"
        fields.setdefault(name, []).append(str(error.get("msg", "")))
    return api.create_response(
        request,
        {"detail": "Requête invalide : vérifiez les champs.", "erreurs": fields},
        status=400,
    )


def _month(value: str) -> datetime.date:
    return datetime.date(int(value[:4]), int(value[5:7]), 1)


def _agency(account: TenantAccount) -> dict[str, str] | None:
    agency = account.agency
    if agency is None:
        return None
    return {
        "nom": agency.name,
        "adresse": f"{agency.address}, {agency.postal_code} {agency.city}",
        "telephone": agency.phone,
        "email": agency.email,
        "horaires": agency.opening_hours,
    }


def _account(account: TenantAccount) -> dict[str, Any]:
    return {
        "id": account.pk,
        "numero": account.number,
        "solde_cents": statement.account_balance_cents(account),
        "agence": _agency(account),
    }


def _payment(payment: Payment) -> dict[str, Any]:
    return {
        "reference": payment.reference,
        "montant_cents": payment.amount_cents,
        "etat": payment.state,
        "libelle_etat": payment.get_state_display(),
        "cree_le": payment.created_at,
        "confirme_le": payment.confirmed_at,
    }


def _url(name: str, *args: Any) -> str:
    return reverse(f"app_api:{name}", args=args)


# --- Accounts, balance, history ------------------------------------------------------------


@api.get("/comptes", response={200: list[schemas.AccountOut], 401: schemas.ErrorOut})
def accounts(request):
    """The signed-in tenant's accounts at this landlord."""
    return [_account(a) for a in tenant_accounts(request).select_related("agency")]


@api.get("/comptes/{compte_id}", response={200: schemas.BalanceOut, **ERRORS}, summary="Solde")
def balance(request, compte_id: int):
    """Mon compte: the balance, the next due date and amount, the last payment, the
    payments in progress and what may be paid online."""
    account = tenant_account_or_404(request, compte_id)
    entries = statement.ledger(account)
    summary = statement.summary(entries, account.landlord.rent_due_day, documents.today())
    minimum, maximum = payments.payable_range(account)
    last = summary.last_payment
    return {
        "compte": _account(account),
        "solde_cents": summary.balance_cents,
        "prochaine_echeance": summary.next_due_date,
        "prochain_montant_cents": summary.next_amount_cents,
        "dernier_paiement_date": last.date if last else None,
        "dernier_paiement_cents": -last.amount_cents if last else None,
        "paiements_en_cours": [_payment(p) for p in payments.payments_in_progress(account)],
        "paiement_en_ligne_ouvert": payments.provider_config(account.landlord) is not None,
        "paiement_minimum_cents": minimum,
        "paiement_maximum_cents": maximum,
    }


@api.get(
    "/comptes/{compte_id}/historique",
    response={200: schemas.HistoryOut, **ERRORS},
    summary="Situation du compte",
)
def history(request, compte_id: int):
    """Month by month, newest first: each operation with the running balance."""
    account = tenant_account_or_404(request, compte_id)
    entries = statement.ledger(account)
    return {
        "solde_cents": statement.balance_cents(entries),
        "mois": [
            {
                "mois": f"{month.month:%Y-%m}",
                "solde_debut_cents": month.opening_balance_cents,
                "solde_fin_cents": month.closing_balance_cents,
                "lignes": [
                    {
                        "date": line.entry.date,
                        "libelle": line.entry.label,
                        "montant_cents": line.entry.amount_cents,
                        "solde_cents": line.balance_cents,
                    }
                    for line in month.lines
                ],
            }
            for month in reversed(statement.history(entries))
        ],
    }


# --- Documents -----------------------------------------------------------------------------


@api.get(
    "/comptes/{compte_id}/documents",
    response={200: schemas.DocumentsOut, **ERRORS},
    summary="Mes documents",
)
def document_list(request, compte_id: int):
    """Each month's rent notice, each paid month's quittance (or reçu when partly paid),
    and whether the attestation de loyer à jour can be issued today (else why not)."""
    account = tenant_account_or_404(request, compte_id)
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    notices = list(account.rent_notices.all())
    items: list[dict[str, Any]] = [
        {
            "type": "avis",
            "titre": documents.notice_title(period),
            "periode": f"{period:%Y-%m}",
            "pdf": _url("notice_pdf", account.pk, f"{period:%Y-%m}"),
        }
        for period in documents.notice_periods(entries, notices)
    ]
    items += [
        {
            "type": receipt.kind,
            "titre": receipt.label,
            "periode": f"{receipt.period:%Y-%m}",
            "pdf": _url("receipt_pdf", account.pk, f"{receipt.period:%Y-%m}"),
        }
        for receipt in documents.month_receipts(entries, due_day)
    ]
    refusal = documents.certificate_refusal(entries, due_day, documents.today())
    if refusal is None:
        items.append(
            {
                "type": IssuedDocument.Kind.CERTIFICATE,
                "titre": "Attestation de loyer à jour",
                "periode": None,
                "pdf": _url("certificate_pdf", account.pk),
            }
        )
    return {
        "documents": items,
        "attestation_disponible": refusal is None,
        "attestation_motif": refusal or "",
    }


@api.get(
    "/comptes/{compte_id}/avis/{periode}/pdf",
    response={**ERRORS},
    openapi_extra=PDF,
    url_name="notice_pdf",
    summary="Un avis d'échéance (PDF)",
)
def notice_pdf(request, compte_id: int, periode: str = Path(..., pattern=MONTH)):
    account = tenant_account_or_404(request, compte_id)
    try:
        notice = documents.notice_for(account, _month(periode))
    except documents.DocumentUnavailable:
        raise Http404 from None
    notice = documents.notice_with_pdf(notice)
    return _pdf_response(notice.pdf, documents.notice_filename(notice))


def _issued(request, compte_id: int, issue) -> HttpResponse | Status:
    account = tenant_account_or_404(request, compte_id)
    try:
        document = issue(account)
    except documents.DocumentUnavailable as exc:
        return Status(404, {"detail": str(exc), "erreurs": {}})
    return _issued_pdf_response(document)


@api.get(
    "/comptes/{compte_id}/recus/{periode}/pdf",
    response={**ERRORS},
    openapi_extra=PDF,
    url_name="receipt_pdf",
    summary="La quittance ou le reçu d'un mois (PDF)",
)
def receipt_pdf(request, compte_id: int, periode: str = Path(..., pattern=MONTH)):
    return _issued(request, compte_id, lambda a: documents.issue_receipt(a, _month(periode)))


@api.get(
    "/comptes/{compte_id}/attestation/pdf",
    response={**ERRORS},
    openapi_extra=PDF,
    url_name="certificate_pdf",
    summary="L'attestation de loyer à jour (PDF)",
)
def certificate_pdf(request, compte_id: int):
    return _issued(request, compte_id, documents.issue_certificate)


# --- Online payment ------------------------------------------------------------------------


@api.post(
    "/comptes/{compte_id}/paiements",
    response={200: schemas.CheckoutOut, 503: schemas.ErrorOut, **ERRORS},
    summary="Régler en ligne",
)
def payment_start(request, compte_id: int, data: schemas.PaymentIn):
    """Starts a payment of `montant_cents` (between the minimum and what is owed, checked
    again here) and answers the provider's page the app must open."""
    account = tenant_account_or_404(request, compte_id)
    try:
        payment = payments.create_payment(account, request.user, data.montant_cents)
    except payments.PaymentRefused as refusal:
        return Status(
            400, {"detail": refusal.message, "erreurs": {"montant_cents": [refusal.message]}}
        )
    portal_url = f"{request.scheme}://{request.get_host()}"
    return_url = request.build_absolute_uri(reverse("payment_return", args=[payment.reference]))
    try:
        checkout = payments.begin_checkout(
            payment,
            portal_url=portal_url,
            return_url=return_url,
            notification_url=request.build_absolute_uri(reverse("payment_notification")),
        )
    except ProviderUnavailable:
        return Status(503, {"detail": payments.PROVIDER_UNAVAILABLE_MESSAGE, "erreurs": {}})
    payment.refresh_from_db()
    return {
        "paiement": _payment(payment),
        "url": checkout.url,
        "methode": checkout.method,
        "champs": [{"nom": name, "valeur": value} for name, value in checkout.fields],
        "retour_url": return_url,
    }


@api.get(
    "/paiements/{reference}",
    response={200: schemas.PaymentOut, **ERRORS},
    summary="Où en est un paiement",
)
def payment_state(request, reference: str):
    """What is known of a payment (only the provider's notification changes it)."""
    return _payment(
        get_object_or_404(
            Payment.objects.all(), reference=reference, account__in=tenant_accounts(request)
        )
    )


# --- Requests ------------------------------------------------------------------------------


def _request(item) -> dict[str, Any]:
    return {
        "identifiant": item.public_id,
        "reference": item.reference,
        "compte": item.account.number,
        "categorie": item.category.name,
        "etat": item.status,
        "libelle_etat": item.get_status_display(),
        "description": item.description,
        "ou": item.location,
        "disponibilites": item.availability,
        "envoyee_le": item.created_at,
        "reponse_promise_avant": item.due_at,
        "date_intervention": item.intervention_date,
    }


@api.get("/demandes", response={200: list[schemas.RequestOut], 401: schemas.ErrorOut})
def request_list(request):
    """Mes demandes: the requests of every account the tenant signs here, newest first."""
    return [_request(item) for item in visible_requests(request)]


@api.get(
    "/comptes/{compte_id}/categories",
    response={200: list[schemas.CategoryOut], **ERRORS},
    summary="Les catégories de demande",
)
def categories(request, compte_id: int):
    tenant_account_or_404(request, compte_id)
    return [
        {
            "id": c.pk,
            "famille": c.family,
            "nom": c.name,
            "delai_reponse_jours": c.response_days,
            "avertissement_urgence": c.urgency_notice,
        }
        for c in RequestCategory.objects.filter(landlord=request.landlord, is_active=True)
    ]


@api.post(
    "/comptes/{compte_id}/demandes",
    response={201: schemas.RequestDetailOut, 429: schemas.ErrorOut, **ERRORS},
    summary="Nouvelle demande",
)
def new_request(request, compte_id: int, data: schemas.RequestIn):
    """A new request to the agency (the web's form and rules; photos are sent from the
    portal's page for now)."""
    account = tenant_account_or_404(request, compte_id)
    category = get_object_or_404(
        RequestCategory, pk=data.categorie, landlord=request.landlord, is_active=True
    )
    keys = [f"{request.landlord.pk}:{request.user.pk}"]
    wait = throttle.seconds_to_wait("service-request", keys)
    if wait:
        return Status(429, {"detail": throttle.wait_message(wait), "erreurs": {}})
    form = RequestForm(
        {"description": data.description, "location": data.ou, "availability": data.disponibilites},
        {},
        category=category,
    )
    if not form.is_valid():
        return Status(400, form_errors(form))
    try:
        created = requests_rules.create_request(
            account=account,
            author=request.user,
            category=category,
            description=form.cleaned_data["description"],
            location=form.cleaned_data["location"],
            availability=form.cleaned_data["availability"],
            files=[],
            http_request=request,
        )
    except ValidationError as error:
        return Status(400, {"detail": error.messages[0], "erreurs": {}})
    throttle.record_failure("service-request", keys, free_attempts=FREE_REQUESTS)
    return Status(201, _request_detail(get_object_or_404(visible_requests(request), pk=created.pk)))


def _request_detail(item) -> dict[str, Any]:
    return {
        **_request(item),
        "etapes": [
            {
                "etat": step.status,
                "libelle": step.get_status_display(),
                "date_intervention": step.intervention_date,
                "le": step.at,
            }
            for step in item.steps.all()
        ],
        "messages": [
            {"de_l_agence": m.from_staff, "texte": m.body, "le": m.created_at}
            for m in item.messages.filter(internal=False)
        ],
    }


@api.get(
    "/demandes/{identifiant}",
    response={200: schemas.RequestDetailOut, **ERRORS},
    summary="Une demande",
)
def request_detail(request, identifiant: str):
    """A request, its timeline and its thread with the agency (never the staff's notes)."""
    return _request_detail(get_object_or_404(visible_requests(request), public_id=identifiant))


# --- News ----------------------------------------------------------------------------------


@api.get("/actualites", response={200: list[schemas.NewsOut], 401: schemas.ErrorOut})
def news_list(request):
    """The landlord's actualités for this tenant; those not seen before are marked
    `nouvelle` this once, as on the portal's page."""
    items = list(news.for_tenant(request.user, request.landlord))
    marked = news.with_read_marks(request.user, items)
    news.mark_read(request.user, [row["item"] for row in marked if row["new"]])
    return [
        {
            "id": row["item"].pk,
            "titre": row["item"].title,
            "texte": row["item"].body,
            "publiee_le": row["item"].publish_at,
            "nouvelle": row["new"],
        }
        for row in marked
    ]


# --- Mes infos -----------------------------------------------------------------------------


def _profile(request) -> dict[str, Any]:
    user = request.user
    consent = profile.news_consent(user, request.landlord)
    return {
        "email": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "telephone_mobile": national(user.mobile_phone),
        "telephone_fixe": national(user.landline_phone),
        "actualites_par_email": bool(consent and consent.granted),
        "identifiant_de_connexion": request.landlord.login_identifier,
        "comptes": [a.number for a in tenant_accounts(request)],
    }


@api.get("/moi", response={200: schemas.ProfileOut, 401: schemas.ErrorOut}, summary="Mes infos")
def me(request):
    return _profile(request)


@api.patch(
    "/moi",
    response={200: schemas.ProfileUpdateOut, 400: schemas.ErrorOut, 401: schemas.ErrorOut},
    summary="Changer mes téléphones ou les actualités par email",
)
def update_me(request, data: schemas.ProfileIn):
    """The landline is saved at once; a new mobile once the SMS code sent to it is given
    (POST /moi/mobile/code); the consent to the landlord's news emails."""
    user = request.user
    code_sent = False
    if data.telephone_fixe is not None or data.telephone_mobile is not None:
        form = PhonesForm(
            {
                "landline_phone": national(user.landline_phone)
                if data.telephone_fixe is None
                else data.telephone_fixe,
                "mobile_phone": national(user.mobile_phone)
                if data.telephone_mobile is None
                else data.telephone_mobile,
            }
        )
        if not form.is_valid():
            return Status(400, form_errors(form))
        try:
            code_sent = profile.update_phones(
                request.landlord,
                user,
                landline=form.cleaned_data["landline_phone"],
                mobile=form.cleaned_data["mobile_phone"],
            )
        except TooManyCodes:
            return Status(
                400,
                {
                    "detail": TOO_MANY_CODES,
                    "erreurs": {"telephone_mobile": [TOO_MANY_CODES]},
                },
            )
    if data.actualites_par_email is not None:
        profile.set_news_consent(user, request.landlord, data.actualites_par_email)
    detail = (
        "Un code vient d'être envoyé par SMS au nouveau numéro de mobile."
        if code_sent
        else "Vos informations sont enregistrées."
    )
    return {"profil": _profile(request), "code_envoye": code_sent, "detail": detail}


@api.post(
    "/moi/mobile/code",
    response={200: schemas.ProfileOut, 400: schemas.ErrorOut, **ERRORS},
    summary="Confirmer le nouveau mobile",
)
def confirm_mobile(request, data: schemas.CodeIn):
    if profile.pending_mobile_change(request.user) is None:
        raise Http404
    form = MobileCodeForm({"code": data.code})
    if not form.is_valid():
        return Status(400, form_errors(form))
    problem = profile.confirm_mobile(request.user, form.cleaned_data["code"])
    if problem:
        return Status(400, {"detail": problem, "erreurs": {"code": [problem]}})
    return _profile(request)


@api.post(
    "/moi/email",
    response={200: schemas.DetailOut, 400: schemas.ErrorOut, 401: schemas.ErrorOut},
    summary="Changer d'adresse email",
)
def change_email(request, data: schemas.EmailIn):
    """With the current password: a confirmation link goes to the new address; the login
    changes once it is opened."""
    form = EmailChangeForm({"email": data.email, "password": data.mot_de_passe}, user=request.user)
    if not form.is_valid():
        return Status(400, form_errors(form))
    email = form.cleaned_data["email"]
    profile.request_email_change(request, request.user, email)
    return {
        "detail": f"Un lien de confirmation a été envoyé à {email}. Votre adresse de "
        "connexion changera quand vous aurez ouvert ce lien."
    }


urls = with_token_sessions(api.urls)
