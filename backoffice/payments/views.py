"""Paiements: the online payments of the staff member's reach, their provider events, the
export batches to the ERP and what the reconciliation did.

Who: comptabilité, relation clientèle and administrateur ("payments.view"); exports and
re-exports need "payments.export" (comptabilité, administrateur). Every query goes
through staff.access.scoped: another landlord's payment answers 404, and an agent (who
has no Paiements screen today) would see only their agencies' payments.
"""

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from backoffice.decorators import staff_required
from backoffice.payments.filters import PaymentFilter
from backoffice.payments.tables import ExportTable, PaymentTable
from payments import export as payment_export
from payments.models import Payment, PaymentExport
from payments.services import is_reconciliation_event, reconciliation_events
from staff.access import object_or_404, scoped

PER_PAGE = 50
RECONCILIATION_SHOWN = 200


@require_safe
@staff_required("payments.view")
def payment_list(request):
    member = request.staff_member
    payments = scoped(member, Payment.objects.select_related("account", "export"))
    filters = PaymentFilter(request.GET or None, queryset=payments)
    shown = payments.none() if filters.is_bound and not filters.is_valid() else filters.qs
    table = PaymentTable(shown)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(
        request,
        "backoffice/payments/list.html",
        {"filter": filters, "table": table, "can_export": member.can("payments.export")},
    )


@require_safe
@staff_required("payments.view")
def payment_detail(request, payment_id):
    payment = object_or_404(
        request.staff_member,
        Payment.objects.select_related("account__agency", "user", "export"),
        pk=payment_id,
    )
    events = [
        {"event": event, "by_reconciliation": is_reconciliation_event(event)}
        for event in payment.events.order_by("created_at", "pk")
    ]
    return render(
        request, "backoffice/payments/detail.html", {"payment": payment, "events": events}
    )


def _landlord_exports(member):
    return PaymentExport.objects.filter(landlord=member.landlord).annotate(
        count=Count("payments"), total=Sum("payments__amount_cents")
    )


@require_safe
@staff_required("payments.export")
def export_list(request):
    member = request.staff_member
    table = ExportTable(_landlord_exports(member))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    waiting = Payment.objects.filter(
        account__landlord=member.landlord, state=Payment.State.PAID, export__isnull=True
    ).aggregate(count=Count("pk"), total=Sum("amount_cents"))
    return render(request, "backoffice/payments/exports.html", {"table": table, "waiting": waiting})


@require_POST
@staff_required("payments.export")
def export_new(request):
    export = payment_export.export_new_batch(request.staff_member.landlord, request=request)
    if export is None:
        messages.info(request, "Aucun paiement confirmé n'attend d'être exporté : aucun lot créé.")
        return redirect("backoffice:payment_exports")
    messages.success(
        request,
        f"Lot {export.number} créé : {export.payments.count()} paiement(s). "
        "Téléchargez son fichier pour l'ERP.",
    )
    return redirect("backoffice:payment_export", export.number)


def _export_or_404(member, number) -> PaymentExport:
    return get_object_or_404(_landlord_exports(member), number=number)


@require_safe
@staff_required("payments.export")
def export_detail(request, number):
    export = _export_or_404(request.staff_member, number)
    payments = export.payments.select_related("account").order_by("confirmed_at", "pk")
    table = PaymentTable(payments, orderable=False)
    return render(request, "backoffice/payments/export.html", {"export": export, "table": table})


@require_safe
@staff_required("payments.export")
def export_csv(request, number):
    export = _export_or_404(request.staff_member, number)
    content = payment_export.reexport_batch(export, request=request)
    response = HttpResponse(content.encode(), content_type="text/csv; charset=utf-8")
    filename = f"paiements-{export.landlord.slug}-lot-{export.number}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_safe
@staff_required("payments.view")
def reconciliation(request):
    member = request.staff_member
    found = scoped(member, reconciliation_events(member.landlord), "payment__account")
    events = list(found[:RECONCILIATION_SHOWN])
    return render(
        request,
        "backoffice/payments/reconciliation.html",
        {"events": events, "can_export": member.can("payments.export")},
    )
