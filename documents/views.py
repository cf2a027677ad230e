"""Mes documents and the public verification pages: thin views over documents.services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.access import tenant_account_or_404
from core import outage, throttle
from core.cache import private_page
from documents import services
from documents.models import IssuedDocument, RentNotice


def storage_may_be_down(view):
    """A document that the storage cannot give or keep now (a local folder gone or refused,
    an S3 endpoint refusing): the French 503 page "temporarily unavailable", and one log
    line a minute, rather than a 500. The list of documents does not read the storage."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except outage.STORAGE_ERRORS as error:
            outage.note(
                "storage",
                "Document storage unavailable (%s: %s): downloads answer 503",
                type(error).__name__,
                str(error)[:200],
            )
            response = render(
                request,
                "documents/unavailable.html",
                {"account_id": kwargs.get("account_id")},
                status=503,
            )
            response["Retry-After"] = "300"
            return response

    return wrapped


def _pdf_response(field_file, filename: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def documents(request, account_id):
    account = tenant_account_or_404(request, account_id)
    return render(request, "documents/list.html", services.document_list(account))


def _notice(request, account_id, period, version=None) -> RentNotice | HttpResponse:
    """The notice, or back to Mes documents with why it does not exist (nothing created)."""
    account = tenant_account_or_404(request, account_id)
    try:
        notice = services.notice_for(account, period, version=version)
    except services.NoticeNotYetAvailable as exc:
        messages.error(request, str(exc))
        return redirect("documents", account_id=account.pk)
    except services.DocumentUnavailable:
        raise Http404 from None
    services.record_download(notice, request.user)
    return notice


@require_GET
@login_required
@storage_may_be_down
def notice_pdf(request, account_id, period, version=None):
    notice = _notice(request, account_id, period, version)
    if isinstance(notice, HttpResponse):
        return notice
    notice = services.notice_with_pdf(notice)
    return _pdf_response(notice.pdf, services.notice_filename(notice))


@require_GET
@login_required
def notice_page(request, account_id, period, version=None):
    notice = _notice(request, account_id, period, version)
    if isinstance(notice, HttpResponse):
        return notice
    context = {
        "account": notice.account,
        "notice": notice,
        "replaced_by": services.replacing_closing(notice),
        "title": services.notice_title(notice.period),
        "doc": services.for_template(services.notice_doc(notice)),
        "content_template": "documents/content/notice.html",
        "pdf_url": services.notice_pdf_url(notice),
    }
    return render(request, "documents/page.html", context)


ISSUE_BUTTONS = {
    IssuedDocument.Kind.QUITTANCE: "Obtenir ma quittance",
    IssuedDocument.Kind.RECEIPT: "Obtenir mon reçu",
    IssuedDocument.Kind.CERTIFICATE: "Obtenir mon attestation",
}


def _issue_or_show(request, account_id, *, find, issue, title, kind_of, action, as_pdf=False):
    """GET: the document if it exists (its page or PDF), else a page offering the POST
    button; POST: issue it (or find the same one: idempotent), then show its page. When it
    cannot be issued, back to Mes documents with the reason."""
    account = tenant_account_or_404(request, account_id)
    try:
        if request.method == "POST":
            document = issue(account)
            return redirect("issued_page", account_id=account.pk, document_id=document.pk)
        document = find(account)
        kind = kind_of(account)
    except services.DocumentUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("documents", account_id=account.pk)
    if document is not None:
        if as_pdf:
            return _issued_pdf_response(document)
        return redirect("issued_page", account_id=account.pk, document_id=document.pk)
    context = {
        "account": account,
        "title": title(kind),
        "button": ISSUE_BUTTONS[kind],
        "action": action(account),
    }
    return render(request, "documents/issue.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@storage_may_be_down
def receipt(request, account_id, period, as_pdf=False):
    """The month's quittance or reçu: shown if issued, issued by the POST."""
    return _issue_or_show(
        request,
        account_id,
        find=lambda account: services.existing_receipt(account, period),
        issue=lambda account: services.issue_receipt(account, period),
        title=lambda kind: services.document_title(kind, period),
        kind_of=lambda account: services.receipt_kind(account, period),
        action=lambda account: reverse("receipt", args=[account.pk, period]),
        as_pdf=as_pdf,
    )


@require_GET
@login_required
@storage_may_be_down
def receipt_pdf(request, account_id, period):
    return receipt(request, account_id, period, as_pdf=True)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@storage_may_be_down
def certificate(request, account_id, as_pdf=False):
    kind = IssuedDocument.Kind.CERTIFICATE
    return _issue_or_show(
        request,
        account_id,
        find=services.existing_certificate,
        issue=services.issue_certificate,
        title=lambda kind: services.document_title(kind, None),
        kind_of=lambda account: kind,
        action=lambda account: reverse("certificate", args=[account.pk]),
        as_pdf=as_pdf,
    )


@require_GET
@login_required
@storage_may_be_down
def certificate_pdf(request, account_id):
    return certificate(request, account_id, as_pdf=True)


def _issued(request, account_id, document_id) -> IssuedDocument:
    account = tenant_account_or_404(request, account_id)
    return get_object_or_404(account.issued_documents.select_related("account"), pk=document_id)


def _issued_pdf_response(document):
    document = services.issued_with_pdf(document)
    return _pdf_response(document.pdf, services.issued_filename(document))


@require_GET
@login_required
@storage_may_be_down
def issued_pdf(request, account_id, document_id):
    return _issued_pdf_response(_issued(request, account_id, document_id))


@require_GET
@login_required
def issued_page(request, account_id, document_id):
    document = _issued(request, account_id, document_id)
    context = {
        "account": document.account,
        "document": document,
        "title": services.issued_title(document),
        "content_template": services.CONTENT_TEMPLATES[document.kind],
        "pdf_url": reverse("issued_pdf", args=[document.account.pk, document.pk]),
        **services.issued_context(document),
    }
    return render(request, "documents/page.html", context)


# --- Public verification (no sign-in) ----------------------------------------------------


def _verification_page(request, reference: str, status: int = 200):
    found = services.verify(request.landlord, reference, throttle.client_ip(request))
    context = {
        "reference": reference,
        "wait_message": found.wait_message,
        "facts": services.public_facts(found.document) if found.document else None,
    }
    status = 429 if found.wait_message else status
    response = render(request, "documents/verify_result.html", context, status=status)
    # The reference is in the address: never sent on to another site.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@private_page  # shows a tenant's name: never kept by a cache, even for a visitor
@require_safe
def verify(request):
    reference = request.GET.get("reference", "").strip()
    if not reference:
        response = render(request, "documents/verify.html")
        response["X-Robots-Tag"] = "noindex"
        return response
    return _verification_page(request, reference[:40])


@private_page
@require_safe
def verify_document(request, reference):
    return _verification_page(request, reference)
