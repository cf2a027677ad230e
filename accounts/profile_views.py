"""Mon compte > Mes infos: thin views; the rules are in accounts.profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import data_export, profile
from accounts.access import tenant_accounts
from accounts.codes import TOO_MANY_CODES, TooManyCodes
from accounts.profile_forms import (
    CloseAccessForm,
    EmailChangeForm,
    EndSessionForm,
    MobileCodeForm,
    NewsConsentForm,
    PasswordChangeForm,
    PhonesForm,
)
from core.allauth_bridge import is_mfa_enabled
from core.phones import national as national_phone
from landlords.models import LoginIdentifier


@require_GET
@login_required
def index(request):
    user = request.user
    return render(
        request,
        "accounts/profile/index.html",
        {
            "by_account_number": request.landlord.login_identifier
            == LoginIdentifier.ACCOUNT_NUMBER,
            "accounts": tenant_accounts(request),
            "mobile": national_phone(user.mobile_phone),
            "landline": national_phone(user.landline_phone),
            "consent": profile.news_consent(user, request.landlord),
            "device_count": len(profile.signed_in_devices(request, user)),
            "mfa_enabled": is_mfa_enabled(user),
        },
    )


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def change_email(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        profile.request_email_change(request, request.user, email)
        messages.success(
            request,
            f"Un lien de confirmation a été envoyé à {email}. Votre adresse de connexion "
            "changera quand vous aurez ouvert ce lien.",
        )
        return redirect("profile")
    return render(request, "accounts/profile/email.html", {"form": form})


@sensitive_post_parameters("oldpassword", "password1", "password2")
@require_http_methods(["GET", "POST"])
@login_required
def change_password(request):
    form = PasswordChangeForm(
        data=request.POST or None, user=request.user, landlord=request.landlord
    )
    if request.method == "POST" and form.is_valid():
        profile.change_password(request, request.user, form.cleaned_data["password1"])
        return redirect("profile")
    return render(request, "accounts/profile/password.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def phones(request):
    user = request.user
    form = PhonesForm(
        request.POST or None,
        initial={
            "landline_phone": national_phone(user.landline_phone),
            "mobile_phone": national_phone(user.mobile_phone),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            code_sent = profile.update_phones(
                request.landlord,
                user,
                landline=form.cleaned_data["landline_phone"],
                mobile=form.cleaned_data["mobile_phone"],
            )
        except TooManyCodes:
            form.add_error("mobile_phone", TOO_MANY_CODES)
        else:
            if code_sent:
                return redirect("profile_mobile_code")
            messages.success(request, "Vos numéros de téléphone sont enregistrés.")
            return redirect("profile")
    return render(request, "accounts/profile/phones.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def mobile_code(request):
    pending = profile.pending_mobile_change(request.user)
    if pending is None:
        return redirect("profile_phones")
    form = MobileCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = profile.confirm_mobile(request.user, form.cleaned_data["code"])
        if problem is None:
            messages.success(request, "Votre nouveau numéro de mobile est enregistré.")
            return redirect("profile")
        form.add_error("code", problem)
    return render(
        request,
        "accounts/profile/mobile_code.html",
        {"form": form, "phone": national_phone(pending.phone)},
    )


@require_POST
@login_required
def resend_mobile_code(request):
    pending = profile.pending_mobile_change(request.user)
    if pending is None:
        return redirect("profile_phones")
    try:
        profile.send_mobile_code(request.landlord, request.user, pending.phone)
    except TooManyCodes:
        messages.error(request, TOO_MANY_CODES)
    else:
        messages.success(request, "Un nouveau code vient de vous être envoyé par SMS.")
    return redirect("profile_mobile_code")


@require_POST
@login_required
def news(request):
    form = NewsConsentForm(request.POST)
    if form.is_valid():
        granted = form.cleaned_data["granted"]
        profile.set_news_consent(request.user, request.landlord, granted)
        news_from = f"les actualités envoyées par {request.landlord.name_in_sentence}"
        messages.success(
            request,
            f"Vous recevrez par email {news_from}."
            if granted
            else f"Vous ne recevrez plus par email {news_from}.",
        )
    return redirect("profile")


@require_http_methods(["GET", "POST"])
@login_required
def sessions(request):
    if request.method == "POST":
        form = EndSessionForm(request.POST)
        if form.is_valid():
            ended = profile.end_session(request, request.user, form.cleaned_data["session"])
            if ended and not request.user.is_authenticated:
                return redirect("account_login")
            if ended:
                messages.success(request, "L'appareil a été déconnecté.")
        return redirect("profile_sessions")
    return render(
        request,
        "accounts/profile/sessions.html",
        {"devices": profile.signed_in_devices(request, request.user)},
    )


@require_GET
@login_required
def download_data(request):
    response = HttpResponse(
        data_export.personal_data_zip(request.user, request.landlord),
        content_type="application/zip",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, data_export.data_file_name(request.landlord)
    )
    return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@login_required
def close_access(request):
    form = CloseAccessForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        profile.close_access(request, request.user)
        return redirect("profile_closed")
    return render(request, "accounts/profile/close.html", {"form": form})


@require_GET
def closed(request):
    return render(request, "accounts/profile/closed.html")
