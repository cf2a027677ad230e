"""Imports: upload the ERP's accounts and ledger files, follow the run, read its report.

Who: comptabilité and administrateur ("imports.run"). Runs are the landlord's: another
landlord's run answers 404.
"""

import io

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_tables2 import RequestConfig

from backoffice.decorators import staff_required
from backoffice.imports.forms import ClosePeriodForm, ImportForm
from backoffice.imports.tables import ImportRunTable
from backoffice.imports.uploads import SizeLimitHandler
from billing import periods
from core.csv import write_rows
from imports import services
from imports.models import ImportRun

SHOWN_ERRORS = 500
# Room for the form's other fields and the multipart boundaries around the file.
MULTIPART_MARGIN = 64 * 1024


def _runs(member):
    return ImportRun.objects.filter(landlord=member.landlord).select_related("uploaded_by")


@csrf_exempt  # the size is checked before the body is read; CSRF right after (below)
@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("imports.run")
def import_list(request):
    limit = services.max_upload_bytes()
    form, refusal = None, ""
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit + MULTIPART_MARGIN:
            refusal = services.too_large_message()
        else:
            handler = SizeLimitHandler(request, limit)
            request.upload_handlers.insert(0, handler)
            response = _upload(request, handler)
            if isinstance(response, HttpResponse):
                return response
            form, refusal = response
    member = request.staff_member
    table = ImportRunTable(_runs(member))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    status = 413 if refusal == services.too_large_message() else (400 if refusal else 200)
    return render(
        request,
        "backoffice/imports/list.html",
        {
            "form": form or ImportForm(),
            "refusal": refusal,
            "table": table,
            "active": services.active_run(member.landlord),
            "max_mb": limit // (1 << 20),
        },
        status=status,
    )


def _upload(request, handler):
    # The CSRF check csrf_exempt skipped, now that the size limit is in place.
    check = CsrfViewMiddleware(lambda r: None)  # type: ignore[arg-type]
    rejection = check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if rejection is not None:
        return rejection
    form = ImportForm(request.POST, request.FILES)
    if handler.too_large:
        return None, services.too_large_message()
    if not form.is_valid():
        return form, ""
    try:
        run = services.start_import(
            request.staff_member.landlord,
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            encoding=form.cleaned_data["encoding"],
            request=request,
            closes_period=form.cleaned_data["closes_period"],
        )
    except services.ImportRefused as refused:
        return form, refused.message
    return redirect("backoffice:import", run.pk)


def _run_or_404(request, run_id) -> ImportRun:
    return get_object_or_404(_runs(request.staff_member), pk=run_id)


@never_cache
@require_safe
@staff_required("imports.run")
def import_detail(request, run_id):
    run = _run_or_404(request, run_id)
    return render(
        request,
        "backoffice/imports/detail.html",
        {
            "run": run,
            "errors": run.errors[:SHOWN_ERRORS],
            "hidden_errors": max(0, len(run.errors) - SHOWN_ERRORS),
        },
    )


@never_cache
@require_safe
@staff_required("imports.run")
def import_progress(request, run_id):
    run = _run_or_404(request, run_id)
    return JsonResponse(
        {
            "state": run.state,
            "state_label": run.get_state_display(),
            "step": run.step,
            "percent": run.percent,
            "done": not run.is_active,
            "url": reverse("backoffice:import", args=[run.pk]),
        }
    )


@require_safe
@staff_required("imports.run")
def import_report(request, run_id):
    run = _run_or_404(request, run_id)
    buffer = io.StringIO()
    write_rows(buffer, services.report_rows(run))
    # With a BOM, Excel reads the accents right.
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8"
    )
    filename = f"rapport-import-{run.pk}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required("imports.run")
def closed_periods(request):
    """The landlord's closed months; closing one by hand (when no import said it)."""
    landlord = request.staff_member.landlord
    form = ClosePeriodForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                closed = periods.close_by_staff(
                    landlord, form.cleaned_data["period"], request=request
                )
            except (periods.PeriodAlreadyClosed, periods.PeriodNotClosable) as refused:
                form.add_error("period", refused.message)
            else:
                messages.success(
                    request,
                    f"{closed.period:%m/%Y} est clos : ses avis d'échéance sont émis, datés "
                    f"du {closed.closed_on:%d/%m/%Y}.",
                )
                return redirect("backoffice:closed_periods")
        status = 400
    return render(
        request,
        "backoffice/imports/periods.html",
        {
            "form": form,
            "closings": landlord.ledger_periods.select_related("closed_by")[:36],
            "closing_day": landlord.ledger_closing_day,
        },
        status=status,
    )
