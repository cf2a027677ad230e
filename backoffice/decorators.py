from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from core.allauth_bridge import is_mfa_enabled
from staff.access import require


def staff_required(permission: str = "tenants.view"):
    """A back-office view: signed in, on this landlord's team, with the role's permission.

    The view receives the StaffMember as `request.staff_member`. (Two-step verification
    and short sessions are enforced before any view by backoffice.middleware.) Tenants'
    personal data: never kept in a cache.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.staff_member = require(request, permission)
            if not is_mfa_enabled(request.user):  # also checked by the middleware
                return redirect("mfa_activate_totp")
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return wrapper

    return decorator
