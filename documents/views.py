"""Mes documents and the public verification pages: thin views over documents.services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_safe

from accounts.access import tenant_account_or_404
from billing import statement
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
    entries = statement.ledger(account)
    due_day = account.landlord.rent_due_day
    notices = {notice.period: notice for notice in account.rent_notices.all()}
    context = {
        "account": account,
        "notice_periods": [
            (period, notices.get(period))
            for period in services.notice_periods(entries, notices.values())
        ],
        "receipts": services.month_receipts(entries, due_day),
        "certificate_refusal": services.certificate_refusal(entries, due_day, services.today()),
    }
    return render(request, "documents/list.html", context)


def _notice(request, account_id, period) -> RentNotice:
    account = tenant_account_or_404(request, account_id)
    try:
        return services.notice_for(account, period)
    except services.DocumentUnavailable:
        raise Http404 from None


@require_GET
@login_required
@storage_may_be_down
def notice_pdf(request, account_id, period):
    notice = services.notice_with_pdf(_notice(request, account_id, period))
    return _pdf_response(notice.pdf, services.notice_filename(notice))


@require_GET
@login_required
def notice_page(request, account_id, period):
    notice = _notice(request, account_id, period)
    context = {
        "account": notice.account,
        "notice": notice,
        "title": services.notice_title(notice.period),
        "doc": services.for_template(notice.facts),
        "content_template": "documents/content/notice.html",
        "pdf_url": reverse("notice_pdf", args=[notice.account.pk, notice.period]),
    }
    return render(request, "documents/page.html", context)


def _issue_and_show(request, account_id, issue, *, as_pdf: bool):
    """Issue (or find) a receipt or certificate with `issue(account)`, then give its PDF or
    its page; when it cannot be issued, back to Mes documents with the reason."""
    account = tenant_account_or_404(request, account_id)
    try:
        document = issue(account)
    except services.DocumentUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("documents", account_id=account.pk)
    if as_pdf:
        return _issued_pdf_response(document)
    return redirect("issued_page", account_id=account.pk, document_id=document.pk)


@require_GET
@login_required
@storage_may_be_down
def receipt(request, account_id, period):
    """Issue (or find) the month's quittance or reçu, then show it."""
    return _issue_and_show(
        request, account_id, lambda account: services.issue_receipt(account, period), as_pdf=False
    )


@require_GET
@login_required
@storage_may_be_down
def receipt_pdf(request, account_id, period):
    return _issue_and_show(
        request, account_id, lambda account: services.issue_receipt(account, period), as_pdf=True
    )


@require_GET
@login_required
@storage_may_be_down
def certificate(request, account_id):
    return _issue_and_show(request, account_id, services.issue_certificate, as_pdf=False)


@require_GET
@login_required
@storage_may_be_down
def certificate_pdf(request, account_id):
    return _issue_and_show(request, account_id, services.issue_certificate, as_pdf=True)


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
