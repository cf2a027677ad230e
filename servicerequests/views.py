"""Mes demandes (tenant side): every request reached through the signed-in person's own
accounts (accounts/access.py); the rules are servicerequests/services.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import tenant_account_or_404, tenant_accounts
from core import throttle
from servicerequests import insurance as insurance_rules
from servicerequests import services
from servicerequests.files import MAX_BODY_BYTES, MAX_FILE_BYTES
from servicerequests.forms import (
    ContactForm,
    InsuranceForm,
    MessageForm,
    RatingForm,
    RequestForm,
)
from servicerequests.models import Attachment, Family, RequestCategory, ServiceRequest
from servicerequests.uploads import body_limit

# A tenant sends a handful of requests a year: past this many in a day, each new one
# waits (growing delays of accounts/throttle.py), so a script cannot flood the agency.
FREE_REQUESTS = 20


def visible_requests(request):
    """The requests of every account the signed-in person signs at this landlord (any
    signatory of the account sees them all)."""
    return ServiceRequest.objects.filter(account__in=tenant_accounts(request)).select_related(
        "category", "account"
    )


def request_or_404(request, public_id) -> ServiceRequest:
    return get_object_or_404(visible_requests(request), public_id=public_id)


def _throttle_keys(request):
    return [f"{request.landlord.pk}:{request.user.pk}"]


@require_GET
@login_required
def request_list(request):
    accounts = list(tenant_accounts(request))
    if not accounts:
        raise Http404
    return render(
        request,
        "servicerequests/list.html",
        {"service_requests": visible_requests(request), "accounts": accounts},
    )


@require_GET
@login_required
def choose_category(request, account_id):
    account = tenant_account_or_404(request, account_id)
    categories = RequestCategory.objects.filter(landlord=request.landlord, is_active=True)
    return render(
        request,
        "servicerequests/categories.html",
        {
            "account": account,
            "technical": [c for c in categories if c.family == Family.TECHNICAL],
            "administrative": [c for c in categories if c.family == Family.ADMINISTRATIVE],
        },
    )


@login_required
@body_limit(MAX_BODY_BYTES)
@require_http_methods(["GET", "POST"])
def new_request(request, account_id, category_id):
    account = tenant_account_or_404(request, account_id)
    category = get_object_or_404(
        RequestCategory, pk=category_id, landlord=request.landlord, is_active=True
    )
    form = RequestForm(category=category)
    wait = 0
    if request.method == "POST":
        wait = throttle.seconds_to_wait("service-request", _throttle_keys(request))
        if not wait:
            form = RequestForm(request.POST, request.FILES, category=category)
            if form.is_valid():
                created = services.create_request(
                    account=account,
                    author=request.user,
                    category=category,
                    description=form.cleaned_data["description"],
                    location=form.cleaned_data["location"],
                    availability=form.cleaned_data["availability"],
                    files=form.cleaned_data["files"],
                    http_request=request,
                )
                throttle.record_failure(
                    "service-request", _throttle_keys(request), free_attempts=FREE_REQUESTS
                )
                messages.success(
                    request,
                    f"Votre demande {created.reference} est envoyée à votre agence. "
                    f"Réponse attendue sous {category.response_days} jours.",
                )
                return redirect("request_detail", created.public_id)
    return render(
        request,
        "servicerequests/new.html",
        {
            "account": account,
            "category": category,
            "form": form,
            "throttled": throttle.wait_message(wait) if wait else "",
        },
        status=429 if wait else (400 if form.errors else 200),
    )


def _detail(request, service_request, *, message_form=None, rating_form=None, status=200):
    return render(
        request,
        "servicerequests/detail.html",
        {
            "service_request": service_request,
            "steps": service_request.steps.all(),
            "thread": service_request.messages.filter(internal=False).prefetch_related(
                "attachments"
            ),
            "files": service_request.attachments.filter(message__isnull=True),
            "message_form": message_form or MessageForm(),
            "rating_form": rating_form or RatingForm(),
            "can_reopen": services.can_reopen(service_request),
            "reopen_until": service_request.resolved_at + services.REOPEN_WITHIN
            if service_request.resolved_at
            else None,
            "can_rate": services.can_rate(service_request),
            "is_closed": service_request.status == "cloturee",
        },
        status=status,
    )


@require_GET
@login_required
def request_detail(request, public_id):
    return _detail(request, request_or_404(request, public_id))


@login_required
@body_limit(MAX_BODY_BYTES)
@require_POST
def post_message(request, public_id):
    service_request = request_or_404(request, public_id)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_message(
                service_request,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                http_request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Votre message est envoyé à votre agence.")
            return redirect("request_detail", public_id)
    return _detail(request, service_request, message_form=form, status=400)


@require_POST
@login_required
def reopen(request, public_id):
    service_request = request_or_404(request, public_id)
    try:
        services.reopen(service_request, actor=request.user, http_request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Votre demande est rouverte : votre agence la reprend en charge.")
    return redirect("request_detail", public_id)


@require_POST
@login_required
def rate(request, public_id):
    service_request = request_or_404(request, public_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(
                service_request,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                http_request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Merci pour votre avis.")
            return redirect("request_detail", public_id)
    return _detail(request, service_request, rating_form=form, status=400)


@require_GET
@login_required
def attachment(request, public_id, attachment_id):
    service_request = request_or_404(request, public_id)
    file = get_object_or_404(
        Attachment.objects.filter(request=service_request).exclude(message__internal=True),
        pk=attachment_id,
    )
    return attachment_response(file)


def attachment_response(file: Attachment) -> FileResponse:
    """A stored file, as the type it was re-encoded to, never run by the browser."""
    response = FileResponse(
        file.file.open("rb"), content_type=file.content_type, filename=file.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request, account_id):
    """Mes contacts: the agency, the caretaker, the emergency number, and a form that
    sends an administrative request to the agency."""
    account = tenant_account_or_404(request, account_id)
    categories = RequestCategory.objects.filter(
        landlord=request.landlord, family=Family.ADMINISTRATIVE, is_active=True
    )
    form = ContactForm(categories=categories)
    wait = 0
    if request.method == "POST":
        wait = throttle.seconds_to_wait("service-request", _throttle_keys(request))
        if not wait:
            form = ContactForm(request.POST, categories=categories)
            if form.is_valid():
                created = services.create_request(
                    account=account,
                    author=request.user,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    http_request=request,
                )
                throttle.record_failure(
                    "service-request", _throttle_keys(request), free_attempts=FREE_REQUESTS
                )
                messages.success(
                    request,
                    f"Votre message est envoyé à votre agence (demande {created.reference}) : "
                    "suivez la réponse dans Mes demandes.",
                )
                return redirect("request_detail", created.public_id)
    today = timezone.localdate()
    return render(
        request,
        "servicerequests/contacts.html",
        {
            "account": account,
            "leases": list(account.current_leases(today)),
            "form": form,
            "throttled": throttle.wait_message(wait) if wait else "",
        },
        status=429 if wait else (400 if form.errors else 200),
    )


@login_required
@body_limit(MAX_FILE_BYTES + 1024 * 1024)
@require_http_methods(["GET", "POST"])
def insurance(request, account_id):
    """Attestation d'assurance habitation: where the account stands, and the upload."""
    account = tenant_account_or_404(request, account_id)
    form = InsuranceForm()
    if request.method == "POST":
        form = InsuranceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                insurance_rules.upload(
                    account=account,
                    author=request.user,
                    checked=form.cleaned_data["file"],
                    end_date=form.cleaned_data["end_date"],
                    http_request=request,
                )
            except ValidationError as error:
                form.add_error("end_date", error)
            else:
                messages.success(
                    request,
                    "Votre attestation est envoyée : votre agence la vérifie et vous prévient "
                    "par email.",
                )
                return redirect("insurance", account.pk)
    return render(
        request,
        "servicerequests/insurance.html",
        {
            "account": account,
            "form": form,
            "coverage": insurance_rules.coverage(account),
            "certificates": account.insurance_certificates.all()[:10],
        },
        status=400 if form.errors else 200,
    )
