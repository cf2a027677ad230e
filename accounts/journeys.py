"""What the journeys that prove a signatory by SMS share: the sign-up and the password
reset by SMS (accounts/views.py, accounts/reset_by_sms.py) use these, not each other.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts import signup
from accounts.codes import TOO_MANY_CODES, TooManyCodes
from landlords.requests import LandlordRequest
from tenancies.models import Signatory, TenantAccount


def send_code_again(
    request: LandlordRequest, signatory_pk: int | None, code_page: str
) -> HttpResponse:
    """ "Renvoyer le code", for sign-up and for password reset alike."""
    signatory = Signatory.objects.filter(pk=signatory_pk).first() if signatory_pk else None
    if signatory is None:
        raise Http404
    try:
        signup.send_phone_code(request.landlord, signatory)
    except TooManyCodes:
        messages.error(request, TOO_MANY_CODES)
    else:
        messages.success(request, "Un nouveau code vient de vous être envoyé par SMS.")
    return redirect(code_page)


def agency_contacts(request: LandlordRequest, account_number: str) -> HttpResponse:
    """ "Je ne connais pas ce numéro": flag the account for staff, show whom to call."""
    account = (
        TenantAccount.objects.filter(landlord=request.landlord, number=account_number)
        .select_related("agency")
        .first()
    )
    if account:
        signup.report_unknown_phone(account)
    agencies = [account.agency] if account and account.agency else request.landlord.agencies.all()
    return render(request, "accounts/signup_unknown_phone.html", {"agencies": agencies})
