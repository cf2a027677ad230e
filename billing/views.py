"""Mon compte: thin views over billing.statement, reached through accounts.access."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import tenant_account_or_404, tenant_accounts


@require_GET
@login_required
def dashboard(request):
    accounts = list(tenant_accounts(request))
    return render(request, "billing/dashboard.html", {"accounts": accounts})


@require_GET
@login_required
def account_summary(request, account_id):
    account = tenant_account_or_404(request, account_id)
    return render(request, "billing/dashboard.html", {"accounts": [account]})


@require_GET
@login_required
def statement(request, account_id):
    raise NotImplementedError


@require_GET
@login_required
def statement_csv(request, account_id):
    raise NotImplementedError
