"""Espace agence pages: each reaches its data through staff.access and changes nothing
itself (the rule functions do, and write the journal)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from backoffice import dashboard as dashboard_tiles
from backoffice.decorators import staff_required


@require_safe
@staff_required("tenants.view")
def dashboard(request):
    return render(
        request,
        "backoffice/dashboard.html",
        {"tiles": dashboard_tiles.tiles(request.staff_member)},
    )
