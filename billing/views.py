"""Mon compte: thin views over billing.statement, every account reached through accounts.access."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from accounts.access import landlords_elsewhere, tenant_account_list, tenant_account_or_404
from billing import statement as ledger_statement
from billing import vocabulary
from billing.categories import explanation
from billing.exports import statement_rows
from core.csv import write_rows
from news import services as news
from payments.services import payable_range, payments_in_progress
from tenancies.models import Lease

# The history page opens on the last twelve months; the rest is one click away.
RECENT_MONTHS = 12
# Mon compte lists the latest actualités; the page "Actualités" has them all.
NEWS_ON_MON_COMPTE = 3


@require_GET
@login_required
def dashboard(request):
    accounts = tenant_account_list(request)
    if not accounts:
        return render(request, "billing/no_account.html")
    return _summary_page(request, accounts[0], accounts)


@require_GET
@login_required
def account_summary(request, account_id):
    account = tenant_account_or_404(request, account_id)
    return _summary_page(request, account, tenant_account_list(request))


def _summary_page(request, account, accounts):
    """One account at a glance, with links to the person's other accounts, here and elsewhere."""
    entries = ledger_statement.ledger(account)
    in_progress = list(payments_in_progress(account))
    payable = payable_range(
        account, balance_cents=ledger_statement.balance_cents(entries), in_progress=in_progress
    )
    today = timezone.localdate()
    # The current leases of every account here: this account's are shown, all say which
    # residences' actualités the tenant reads.
    leases = list(Lease.objects.filter(account__in=accounts).current(today).order_by("pk"))
    latest_news = news.latest_with_read_marks(
        request.user, request.landlord, NEWS_ON_MON_COMPTE, accounts=accounts, leases=leases
    )
    return render(
        request,
        "billing/dashboard.html",
        {
            "account": account,
            "accounts": accounts,
            "elsewhere": [
                (other, other.site_url(request, "/mon-compte/"))
                for other in landlords_elsewhere(request)
            ],
            "summary": vocabulary.position(entries, account.landlord.rent_due_day, today),
            "in_progress": in_progress,
            "payable_max_cents": payable[1],
            "leases": [lease for lease in leases if lease.account_id == account.pk],
            "news": latest_news,
            "news_new_count": sum(row["new"] for row in latest_news),
        },
    )


@require_GET
@login_required
def statement(request, account_id):
    account = tenant_account_or_404(request, account_id)
    entries = ledger_statement.ledger(account)
    months = ledger_statement.history(entries)
    show_all = request.GET.get("tout") == "1"
    shown = months if show_all else months[-RECENT_MONTHS:]
    due_day = account.landlord.rent_due_day
    return render(
        request,
        "billing/statement.html",
        {
            "account": account,
            "months": [_month(entries, month, due_day) for month in reversed(shown)],
            "hidden_months": len(months) - len(shown),
            "balance_cents": ledger_statement.balance_cents(entries),
            "position": vocabulary.position(entries, due_day, timezone.localdate()),
            "in_progress": list(payments_in_progress(account)),
        },
    )


def _month(entries, month, due_day) -> dict:
    """A month of history, with its notice and each kind of line explained once."""
    notice = ledger_statement.notice(entries, month.month, due_day)
    explained = {}
    for line in notice.lines if notice else []:
        text = explanation(line.category)
        if text and line.category not in explained:
            explained[line.category] = (line.label, text)
    return {"history": month, "notice": notice, "explained": list(explained.values())}


@require_GET
@login_required
def statement_csv(request, account_id):
    account = tenant_account_or_404(request, account_id)
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"situation-compte-{account.number}-{today:%Y-%m-%d}.csv"
    )
    # A BOM so that Excel, which most tenants open a CSV with, reads the accents.
    response.write("\ufeff")
    write_rows(response, statement_rows(ledger_statement.ledger(account)))
    return response
