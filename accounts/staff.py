"""Staff accounts must use two-step verification before reaching the back office."""

from django.contrib import messages
from django.shortcuts import redirect

from core.allauth_bridge import is_mfa_enabled


class StaffMustUseMfaMiddleware:
    """Sends a signed-in staff member without an authenticator to the TOTP activation
    page instead of any admin page (signing out excepted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.app_name != "admin" or match.url_name == "logout":
            return None
        user = request.user
        if user.is_authenticated and user.is_staff and not is_mfa_enabled(user):
            messages.warning(
                request,
                "Pour accéder à l'administration, activez d'abord la vérification en deux étapes.",
            )
            return redirect("mfa_activate_totp")
        return None
