"""Mon logement: the dwelling as the ERP knows it, reached through accounts.access."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import tenant_account_or_404
from billing import statement as ledger_statement


@require_GET
@login_required
def dwelling(request, account_id):
    account = tenant_account_or_404(request, account_id)
    today = timezone.localdate()
    entries = ledger_statement.ledger(account)
    this_month = ledger_statement.month_start(today)
    periods = [p for p in ledger_statement.notice_periods(entries) if p <= this_month]
    notice = (
        ledger_statement.notice(entries, periods[-1], account.landlord.rent_due_day)
        if periods
        else None
    )
    return render(
        request,
        "tenancies/dwelling.html",
        {"account": account, "leases": list(account.current_leases(today)), "notice": notice},
    )
