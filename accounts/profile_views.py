"""Mon compte > Mes infos: thin views; the rules are in accounts.profile."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import data_export, profile, push_devices
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
    PushDeviceForm,
)
from core.allauth_bridge import is_mfa_enabled
from core.phones import national as national_phone
from landlords.models import LoginIdentifier
from notifications import push


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
            **_push_context(request),
        },
    )


def _push_context(request) -> dict:
    if not push.enabled():
        return {}
    devices = push_devices.devices(request.user, request.landlord)
    return {
        "push_key": push.public_key(),
        "push_devices": [
            (
                device,
                PushDeviceForm(
                    initial={
                        "device": device.pk,
                        "show_amounts": device.show_amounts,
                        "due_reminders": device.due_reminders,
                    },
                    auto_id=f"appareil-{device.pk}-%s",
                ),
            )
            for device in devices
        ],
        "push_endpoints": " ".join(device.endpoint for device in devices),
    }


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


# --- Notifications on this device (accounts/push_devices.py) ------------------------------


def _json_body(request) -> object:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _after_push_change(request) -> str:
    return reverse("profile") + "#notifications"


@require_POST
@login_required
def push_subscribe(request):
    try:
        push_devices.subscribe(request, request.user, request.landlord, _json_body(request))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    messages.success(request, "Les notifications sont activées sur cet appareil.")
    return JsonResponse({"next": _after_push_change(request)})


@require_POST
@login_required
def push_unsubscribe(request):
    data = _json_body(request)
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    if not isinstance(endpoint, str):
        return JsonResponse({"error": "Demande incomplète."}, status=400)
    if push_devices.unsubscribe(request, request.user, request.landlord, endpoint=endpoint):
        messages.success(request, "Les notifications sont désactivées sur cet appareil.")
    return JsonResponse({"next": _after_push_change(request)})


@require_POST
@login_required
def push_device(request):
    """A device of the list: its preferences saved, or its notifications turned off."""
    form = PushDeviceForm(request.POST)
    if form.is_valid():
        device = form.cleaned_data["device"]
        if "off" in request.POST:
            if push_devices.unsubscribe(request, request.user, request.landlord, device_id=device):
                messages.success(request, "Les notifications sont désactivées sur cet appareil.")
        elif push_devices.set_preferences(
            request,
            request.user,
            request.landlord,
            device,
            show_amounts=form.cleaned_data["show_amounts"],
            due_reminders=form.cleaned_data["due_reminders"],
        ):
            messages.success(request, "Vos réglages des notifications sont enregistrés.")
    return redirect(_after_push_change(request))
