from functools import wraps

from django.contrib.auth.views import redirect_to_login

from staff.access import require


def staff_required(permission: str = "tenants.view"):
    """A back-office view: signed in, on this landlord's team, with the role's permission.

    The view receives the StaffMember as `request.staff_member`. (Two-step verification
    and short sessions are enforced before any view by backoffice.middleware.)
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.staff_member = require(request, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
