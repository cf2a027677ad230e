"""The espace agence's door: short sessions, staff of this landlord only, two-step first."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from accounts.middleware import SIGNED_IN_AT
from core.allauth_bridge import is_mfa_enabled
from staff.access import staff_member

# Pages a signed-in staff member without two-step verification may still open.
MFA_SETUP_URL_NAMES = {
    "account_logout",
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_add_webauthn",
    "mfa_signup_webauthn",
    "mfa_list_webauthn",
    "mfa_reauthenticate",
    "account_reauthenticate",
}
# Pages open without being signed in, and the theme.
PUBLIC_URL_NAMES = {"theme_css", "logo", "accessibility"}


class StaffAreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(request, "is_backoffice", False) or not request.user.is_authenticated:
            return None
        url_name = request.resolver_match.url_name
        if url_name in PUBLIC_URL_NAMES:
            return None
        # Staff sessions are short: idle expiry, and a working day at most after sign-in.
        # (Set once: setting it again would write the session on every request; its expiry
        # is pushed ahead every few minutes by accounts.middleware.)
        if request.session.get_expiry_age() != settings.STAFF_SESSION_IDLE_SECONDS:
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        signed_in_at = request.session.get(SIGNED_IN_AT, time.time())
        if time.time() - signed_in_at > settings.STAFF_SESSION_MAX_AGE_SECONDS:
            logout(request)
            messages.info(request, "Votre session a expiré : connectez-vous à nouveau.")
            return redirect("account_login")
        if staff_member(request) is None:
            logout(request)
            messages.error(
                request,
                f"L'espace agence est réservé à l'équipe {request.landlord.of_name}.",
            )
            return redirect("account_login")
        if not is_mfa_enabled(request.user) and url_name not in MFA_SETUP_URL_NAMES:
            messages.warning(
                request,
                "Pour accéder à l'espace agence, activez d'abord la vérification en deux étapes.",
            )
            return redirect("mfa_activate_totp")
        return None
