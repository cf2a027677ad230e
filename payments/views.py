"""Règlement en ligne: thin views over payments.services, reached through accounts.access."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import tenant_account_or_404, tenant_accounts
from billing import vocabulary
from billing.money import decimal_comma
from billing.statement import account_balance_cents
from core import throttle
from core.csp import allow_form_action
from core.http import small_body
from landlords.requests import LandlordRequest, SignedInRequest
from payments import services
from payments.forms import AmountForm
from payments.models import Payment
from payments.providers import ProviderUnavailable
from tenancies.models import TenantAccount


def _page_context(account: TenantAccount) -> dict[str, Any]:
    minimum, maximum = services.payable_range(account)
    in_progress = list(services.payments_in_progress(account))
    return {
        "account": account,
        "balance": account_balance_cents(account),
        "in_progress": in_progress,
        "pending": [(p, services.pending_explanation(p)) for p in in_progress],
        "maximum_note": services.maximum_explanation(account, maximum),
        "position": vocabulary.account_position(account, timezone.localdate()),
        "minimum": minimum,
        "maximum": maximum,
        "open": services.provider_config(account.landlord) is not None,
    }


@require_GET
@login_required
def payment_start(request: LandlordRequest, account_id: int) -> HttpResponse:
    account = tenant_account_or_404(request, account_id)
    return render(request, "payments/start.html", _page_context(account))


@require_http_methods(["GET", "POST"])
@login_required
def payment_amount(request: SignedInRequest, account_id: int) -> HttpResponseBase:
    """The amount's form; its answer leads to the provider's page (a form posted there, or a
    redirect), so this page's policy lets forms go to that site too."""
    response = _payment_amount(request, account_id)
    portal_url = f"{request.scheme}://{request.get_host()}"
    return allow_form_action(
        request, response, services.payment_page_url(request.landlord, portal_url)
    )


def _payment_amount(request: SignedInRequest, account_id: int) -> HttpResponseBase:
    account = tenant_account_or_404(request, account_id)
    context = _page_context(account)
    if context["maximum"] == 0 or not context["open"]:
        return render(request, "payments/start.html", context)
    form = AmountForm(
        request.POST or None,
        minimum=context["minimum"],
        maximum=context["maximum"],
        maximum_note=context["maximum_note"],
        initial={"amount": decimal_comma(context["maximum"])},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.create_payment(account, request.user, form.cleaned_data["amount"])
        except services.PaymentRefused as refusal:
            form.add_error("amount", refusal.message)
        else:
            try:
                checkout = services.begin_checkout(
                    payment,
                    portal_url=f"{request.scheme}://{request.get_host()}",
                    return_url=request.build_absolute_uri(
                        reverse("payment_return", args=[payment.reference])
                    ),
                    notification_url=request.build_absolute_uri(reverse("payment_notification")),
                )
            except ProviderUnavailable:
                messages.error(request, services.PROVIDER_UNAVAILABLE_MESSAGE)
                return redirect("payment_start", account_id=account.pk)
            if checkout.method == "GET":
                return redirect(checkout.url)
            response = render(
                request, "payments/redirect.html", {"checkout": checkout, "payment": payment}
            )
            return allow_form_action(request, response, checkout.url)
    return render(request, "payments/amount.html", {**context, "form": form})


@require_GET
@login_required
def payment_return(request: LandlordRequest, reference: str) -> HttpResponse:
    """Says what is known; never changes anything (only the provider's messages do)."""
    payment = get_object_or_404(
        Payment.objects.select_related("account"),
        reference=reference,
        account__in=tenant_accounts(request),
    )
    return render(
        request,
        "payments/return.html",
        {
            "payment": payment,
            "reversals": list(payment.reversals.order_by("created_at", "pk")),
            "abandoned": services.was_abandoned(payment),
            "explanation": services.pending_explanation(payment) if payment.in_progress else "",
        },
    )


# Anyone may post here: an address that keeps sending messages no provider signed is
# answered without a database row or a PayFiP request. The provider's own messages are
# never counted, even those refused for another reason, so they are never slowed down.
FORGED_NOTIFICATION_SCOPE = "payment-notification"
FREE_FORGED_NOTIFICATIONS = 20


@csrf_exempt
@small_body
@require_POST
def payment_notification(request: LandlordRequest) -> HttpResponse:
    """The provider's server-to-server notification (Systempay IPN, PayFiP's idOp)."""
    address = [throttle.client_ip(request)]
    if throttle.seconds_to_wait(FORGED_NOTIFICATION_SCOPE, address):
        return HttpResponse("KO", content_type="text/plain", status=429)
    reply = services.receive_notification(request.landlord, request.POST.dict())
    if reply.forged:
        throttle.record_failure(
            FORGED_NOTIFICATION_SCOPE, address, free_attempts=FREE_FORGED_NOTIFICATIONS
        )
    if reply.accepted:
        return HttpResponse("OK", content_type="text/plain")
    answer = f"KO : {reply.answer}" if reply.answer else "KO"
    return HttpResponse(answer, content_type="text/plain; charset=utf-8", status=400)
