from backoffice.navigation import menu
from staff.access import staff_member


def backoffice(request):
    """The staff member and their menu, on the espace agence host only."""
    if not getattr(request, "is_backoffice", False):
        return {}
    member = staff_member(request)
    if member is None:
        return {"staff_member": None, "staff_menu": []}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else None
    return {"staff_member": member, "staff_menu": menu(member, current)}
