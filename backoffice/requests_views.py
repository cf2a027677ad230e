"""Demandes in the espace agence: the queue, a request's page and its actions, the
figures, the export and the landlord's categories. Every request is reached through
staff.access (another landlord's answers 404, an agent sees their agencies' only);
changes go through servicerequests.services, which writes the journal."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

import audit
from backoffice.decorators import staff_required
from backoffice.requests_forms import (
    AnswerForm,
    AssignForm,
    CategoryForm,
    NoteForm,
    RequestFilter,
    RequestTable,
    ReviewForm,
    SavedReplyForm,
    StatusForm,
)
from core.csv import write_rows
from servicerequests import insurance as insurance_rules
from servicerequests import reports, services
from servicerequests.files import MAX_BODY_BYTES
from servicerequests.models import (
    Attachment,
    InsuranceCertificate,
    RequestCategory,
    SavedReply,
    ServiceRequest,
)
from servicerequests.uploads import body_limit
from servicerequests.views import attachment_response
from staff.access import object_or_404, scoped, visible_accounts
from staff.models import StaffMember
from staff.roles import Role

PER_PAGE = 50


def _requests(member):
    return scoped(member, ServiceRequest.objects.all()).select_related(
        "account__agency", "category", "assigned_to"
    )


def _filtered(request):
    member = request.staff_member
    filters = RequestFilter(
        request.GET, queryset=_requests(member).order_by("due_at", "pk"), member=member
    )
    return filters


@require_safe
@staff_required("requests.handle")
def queue(request):
    filters = _filtered(request)
    table = RequestTable(filters.qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "backoffice/requests/queue.html",
        {"filters": filters, "table": table, "late_count": None},
    )


@require_safe
@staff_required("requests.handle")
def export_csv(request):
    filters = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"demandes-{request.landlord.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    )
    response.write("\ufeff")
    items = list(filters.qs)
    write_rows(response, reports.rows(items))
    audit.record(
        "requests.exported", request=request, detail={"demandes": len(items), "canal": "csv"}
    )
    return response


@require_safe
@staff_required("requests.handle")
def figures(request):
    return render(
        request,
        "backoffice/requests/figures.html",
        {"months": reports.answered_in_time_by_month(_requests(request.staff_member))},
    )


def _request_or_404(request, public_id) -> ServiceRequest:
    return object_or_404(
        request.staff_member,
        ServiceRequest.objects.select_related("account__agency", "category", "author"),
        public_id=public_id,
    )


def _candidates(service_request):
    """Staff of the landlord who may see the request's account (agents of its agency)."""
    account = service_request.account
    members = StaffMember.objects.filter(
        landlord_id=account.landlord_id,
        is_active=True,
        role__in=[Role.AGENT, Role.CUSTOMER_RELATIONS, Role.ADMINISTRATOR],
    )
    members = members.filter(~Q(role=Role.AGENT) | Q(agencies=account.agency_id))
    return get_user_model().objects.filter(staff_memberships__in=members).distinct()


def _detail(request, service_request, status=200, **forms):
    try:
        tenant_url = reverse("backoffice:tenant", args=[service_request.account_id])
    except NoReverseMatch:  # the Fiche locataire screen
        tenant_url = None
    context = {
        "service_request": service_request,
        "steps": service_request.steps.select_related("actor"),
        "thread": service_request.messages.select_related("author").prefetch_related("attachments"),
        "files": service_request.attachments.filter(message__isnull=True),
        "tenant_url": tenant_url,
        "is_late": service_request.is_late(),
        "staff_view": True,
        "assign_form": AssignForm(
            initial={"assigned_to": service_request.assigned_to_id},
            candidates=_candidates(service_request),
        ),
        "answer_form": AnswerForm(service_request=service_request),
        "status_form": StatusForm(
            initial={
                "status": service_request.status,
                "intervention_date": service_request.intervention_date,
            }
        ),
        "note_form": NoteForm(),
        "is_closed": service_request.status == "cloturee",
    }
    context.update(forms)
    return render(request, "backoffice/requests/detail.html", context, status=status)


@require_safe
@staff_required("requests.handle")
def detail(request, public_id):
    return _detail(request, _request_or_404(request, public_id))


@require_POST
@staff_required("requests.handle")
def assign(request, public_id):
    service_request = _request_or_404(request, public_id)
    form = AssignForm(request.POST, candidates=_candidates(service_request))
    if not form.is_valid():
        return _detail(request, service_request, status=400, assign_form=form)
    services.assign(
        service_request,
        staff_user=form.cleaned_data["assigned_to"],
        actor=request.user,
        http_request=request,
    )
    messages.success(request, "La demande est attribuée.")
    return redirect("backoffice:request", public_id)


@staff_required("requests.handle")
@body_limit(MAX_BODY_BYTES)
@require_POST
def answer(request, public_id):
    service_request = _request_or_404(request, public_id)
    form = AnswerForm(request.POST, request.FILES, service_request=service_request)
    if form.is_valid():
        try:
            services.post_message(
                service_request,
                author=request.user,
                body=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                from_staff=True,
                http_request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Votre réponse est envoyée au locataire.")
            return redirect("backoffice:request", public_id)
    return _detail(request, service_request, status=400, answer_form=form)


@require_POST
@staff_required("requests.handle")
def change_status(request, public_id):
    service_request = _request_or_404(request, public_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            changed = services.change_status(
                service_request,
                form.cleaned_data["status"],
                actor=request.user,
                intervention_date=form.cleaned_data["intervention_date"],
                http_request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, "L'état de la demande est modifié.")
            else:
                messages.info(request, "La demande était déjà dans cet état.")
            return redirect("backoffice:request", public_id)
    return _detail(request, service_request, status=400, status_form=form)


@require_POST
@staff_required("requests.handle")
def add_note(request, public_id):
    service_request = _request_or_404(request, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, service_request, status=400, note_form=form)
    services.post_message(
        service_request,
        author=request.user,
        body=form.cleaned_data["body"],
        from_staff=True,
        internal=True,
        http_request=request,
    )
    messages.success(request, "La note interne est ajoutée.")
    return redirect("backoffice:request", public_id)


@require_safe
@staff_required("requests.handle")
def attachment(request, public_id, attachment_id):
    service_request = _request_or_404(request, public_id)
    file = get_object_or_404(Attachment, request=service_request, pk=attachment_id)
    return attachment_response(file)


@require_safe
@staff_required("requests.configure")
def categories(request):
    return render(
        request,
        "backoffice/requests/categories.html",
        {
            "categories": RequestCategory.objects.filter(landlord=request.landlord),
            "replies": SavedReply.objects.filter(landlord=request.landlord).select_related(
                "category"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required("requests.configure")
def edit_category(request, category_id=None):
    category = (
        get_object_or_404(RequestCategory, pk=category_id, landlord=request.landlord)
        if category_id
        else RequestCategory(landlord=request.landlord)
    )
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        services.save_category(form, actor=request.user, http_request=request)
        messages.success(request, f"La catégorie « {category.name} » est enregistrée.")
        return redirect("backoffice:request_categories")
    return render(
        request,
        "backoffice/requests/category.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@staff_required("requests.configure")
def edit_reply(request, reply_id=None):
    reply = (
        get_object_or_404(SavedReply, pk=reply_id, landlord=request.landlord)
        if reply_id
        else SavedReply(landlord=request.landlord)
    )
    form = SavedReplyForm(request.POST or None, instance=reply, landlord=request.landlord)
    if request.method == "POST" and form.is_valid():
        services.save_saved_reply(form, actor=request.user, http_request=request)
        messages.success(request, f"La réponse type « {reply.title} » est enregistrée.")
        return redirect("backoffice:request_categories")
    return render(
        request,
        "backoffice/requests/reply.html",
        {"form": form, "reply": reply},
        status=400 if form.errors else 200,
    )


@require_safe
@staff_required("requests.handle")
def insurance_list(request):
    """Certificates to check, and the leases without a valid certificate."""
    member = request.staff_member
    pending = scoped(
        member, InsuranceCertificate.objects.filter(state=InsuranceCertificate.State.PENDING)
    ).select_related("account__agency")
    missing = (
        insurance_rules.accounts_without_valid_certificate(visible_accounts(member))
        .select_related("agency")
        .order_by("number")
    )
    paginator = Paginator(missing, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/requests/insurance_list.html",
        {
            "pending": pending.order_by("created_at"),
            "missing": page,
            "missing_count": paginator.count,
        },
    )


def _certificate_or_404(request, certificate_id):
    return object_or_404(
        request.staff_member,
        InsuranceCertificate.objects.select_related("account__agency", "uploaded_by"),
        pk=certificate_id,
    )


@require_http_methods(["GET", "POST"])
@staff_required("requests.handle")
def insurance_review(request, certificate_id):
    certificate = _certificate_or_404(request, certificate_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accepter"
        try:
            insurance_rules.review(
                certificate,
                accept=accept,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                http_request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"L'attestation du compte {certificate.account.number} est "
                f"{'acceptée' if accept else 'refusée'} ; le locataire est prévenu par email.",
            )
            return redirect("backoffice:insurance")
    return render(
        request,
        "backoffice/requests/insurance_review.html",
        {"certificate": certificate, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
@staff_required("requests.handle")
def insurance_file(request, certificate_id):
    return attachment_response(_certificate_or_404(request, certificate_id))
