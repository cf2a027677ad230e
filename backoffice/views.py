"""Espace agence pages: each reaches its data through staff.access and changes nothing
itself (the rule functions do, and write the journal)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from accounts import assistance
from accounts.models import Access
from audit.journal import audit_journal_export, audit_view_as, journal_rows
from audit.models import AuditEvent
from backoffice import dashboard as dashboard_tiles
from backoffice import queues
from backoffice.decorators import staff_required
from backoffice.filters import AuditFilter
from backoffice.forms import (
    AcceptInvitationForm,
    InvitationForm,
    MobileForm,
    ReasonForm,
    SearchForm,
)
from backoffice.search import search_accounts
from backoffice.tables import AccountTable, AuditTable
from billing import statement as ledger_statement
from billing import vocabulary
from staff import invitations
from staff.access import account_or_404, visible_accounts
from staff.models import StaffInvitation, StaffMember
from tenancies.models import Signatory


@require_safe
@staff_required("tenants.view")
def dashboard(request):
    return render(
        request,
        "backoffice/dashboard.html",
        {"tiles": dashboard_tiles.tiles(request.staff_member)},
    )


def _accounts_table(request, accounts):
    accounts = accounts.select_related("agency").prefetch_related("leases__signatories")
    table = AccountTable(accounts.order_by("number"))
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return table


@require_safe
@staff_required("tenants.view")
def search(request):
    member = request.staff_member
    form = SearchForm(request.GET or None)
    accounts = visible_accounts(member)
    title = "Rechercher un locataire"
    table = None
    if request.GET.get("etat") == "jamais-active":
        title = "Inscriptions commencées, jamais activées"
        table = _accounts_table(request, queues.never_activated(member))
    elif form.is_valid() and form.cleaned_data["q"]:
        table = _accounts_table(request, search_accounts(accounts, form.cleaned_data["q"]))
    return render(request, "backoffice/search.html", {"form": form, "table": table, "title": title})


def _tenant_context(request, account, forms=None):
    member = request.staff_member
    entries = ledger_statement.ledger(account)
    accesses = list(assistance.account_accesses(account))
    forms = forms or {}
    logins = [
        {
            "access": access,
            "activated": assistance.is_activated(access.user),
            "locked_seconds": assistance.login_locked_seconds(account, access.user),
            **{
                f"{kind}_form": forms.get((kind, access.pk))
                or ReasonForm(prefix_id=f"{kind}-{access.pk}")
                for kind in ("resend", "unlock", "close")
            },
        }
        for access in accesses
    ]
    leases = list(account.leases.prefetch_related("signatories__access").order_by("-start_date"))
    signatories = [s for lease in leases for s in lease.signatories.all()]
    return {
        "account": account,
        "can_act": member.can("tenants.act"),
        "leases": leases,
        "signatories": signatories,
        "logins": logins,
        "signup_locked_seconds": assistance.signup_locked_seconds(account),
        "balance_cents": ledger_statement.balance_cents(entries),
        "position": vocabulary.position(
            entries, account.landlord.rent_due_day, timezone.localdate()
        ),
        "months": list(reversed(ledger_statement.history(entries)))[:6],
        "notices": account.rent_notices.order_by("-period")[:12],
        "issued": account.issued_documents.order_by("-issued_at")[:12],
        "payments": account.payments.prefetch_related("events").order_by("-created_at")[:20],
        "events": AuditEvent.objects.filter(
            Q(account=account)
            | Q(landlord=account.landlord, subject_user__in=[a.user for a in accesses])
        ).select_related("actor", "subject_user")[:50],
        "letters": assistance.unused_letters([account.pk]),
        "signatory_forms": [
            (s, forms.get(("mobile", s.pk)) or MobileForm(prefix_id=f"mobile-{s.pk}"))
            for s in signatories
        ],
        "letter_form": forms.get("letter") or ReasonForm(prefix_id="courrier"),
        "unlock_form": forms.get("unlock") or ReasonForm(prefix_id="deblocage"),
    }


@require_safe
@staff_required("tenants.view")
def tenant(request, account_id):
    account = account_or_404(request.staff_member, account_id)
    return render(request, "backoffice/tenant.html", _tenant_context(request, account))


def _invalid(request, account, key, form):
    messages.error(request, "L'action n'a pas été faite : corrigez le formulaire.")
    context = _tenant_context(request, account, {key: form})
    context["invalid_form"] = form
    return render(request, "backoffice/tenant.html", context, status=400)


@require_POST
@staff_required("tenants.act")
def correct_mobile(request, account_id, signatory_id):
    account = account_or_404(request.staff_member, account_id)
    signatory = get_object_or_404(
        Signatory.objects.select_related("lease__account"), pk=signatory_id, lease__account=account
    )
    form = MobileForm(request.POST, prefix_id=f"mobile-{signatory.pk}")
    if not form.is_valid():
        return _invalid(request, account, ("mobile", signatory.pk), form)
    assistance.correct_mobile(
        request, signatory, form.cleaned_data["mobile"], form.cleaned_data["reason"]
    )
    messages.success(
        request,
        f"Le mobile de {signatory} est corrigé. Le locataire peut maintenant s'inscrire : "
        "le code lui sera envoyé à ce numéro.",
    )
    return redirect("backoffice:tenant", account.pk)


@require_POST
@staff_required("tenants.act")
def print_letter(request, account_id):
    account = account_or_404(request.staff_member, account_id)
    form = ReasonForm(request.POST, prefix_id="courrier")
    if not form.is_valid():
        return _invalid(request, account, "letter", form)
    pdf = assistance.print_activation_letters(request, account, form.cleaned_data["reason"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="courrier-activation-{account.number}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _access(account, access_id):
    return get_object_or_404(
        Access.objects.select_related("user", "signatory"),
        pk=access_id,
        signatory__lease__account=account,
    )


@require_POST
@staff_required("tenants.act")
def resend_activation(request, account_id, access_id):
    account = account_or_404(request.staff_member, account_id)
    access = _access(account, access_id)
    form = ReasonForm(request.POST, prefix_id=f"resend-{access.pk}")
    if not form.is_valid():
        return _invalid(request, account, ("resend", access.pk), form)
    if assistance.resend_activation_email(request, account, access, form.cleaned_data["reason"]):
        messages.success(request, f"Un nouveau lien d'activation est envoyé à {access.user.email}.")
    else:
        messages.info(
            request, f"L'accès de {access.user.email} est déjà activé : rien n'a été envoyé."
        )
    return redirect("backoffice:tenant", account.pk)


@require_POST
@staff_required("tenants.act")
def lift_lock(request, account_id, access_id=None):
    account = account_or_404(request.staff_member, account_id)
    access = _access(account, access_id) if access_id else None
    key = ("unlock", access.pk) if access else "unlock"
    form = ReasonForm(request.POST, prefix_id=f"unlock-{access.pk}" if access else "deblocage")
    if not form.is_valid():
        return _invalid(request, account, key, form)
    assistance.lift_locks(request, account, access, form.cleaned_data["reason"])
    messages.success(request, "Le blocage est levé : le locataire peut réessayer dès maintenant.")
    return redirect("backoffice:tenant", account.pk)


@require_POST
@staff_required("tenants.act")
def close_access(request, account_id, access_id):
    account = account_or_404(request.staff_member, account_id)
    access = _access(account, access_id)
    form = ReasonForm(request.POST, prefix_id=f"close-{access.pk}")
    if not form.is_valid():
        return _invalid(request, account, ("close", access.pk), form)
    email = access.user.email
    assistance.close_access(request, account, access, form.cleaned_data["reason"])
    messages.success(request, f"L'accès de {email} à ce compte est fermé.")
    return redirect("backoffice:tenant", account.pk)


@require_safe
@staff_required("tenants.act")
def view_as(request, account_id):
    """What the tenant sees on Mon compte and Situation de votre compte, read only."""
    account = account_or_404(request.staff_member, account_id)
    audit_view_as(request, account)
    entries = ledger_statement.ledger(account)
    today = timezone.localdate()
    return render(
        request,
        "backoffice/view_as.html",
        {
            "account": account,
            "summary": vocabulary.position(entries, account.landlord.rent_due_day, today),
            "months": list(reversed(ledger_statement.history(entries)))[:3],
            "leases": list(account.current_leases(today)),
        },
    )


@require_safe
@staff_required("tenants.act")
def unblock_queue(request):
    return render(
        request,
        "backoffice/unblock_queue.html",
        {"waiting": queues.to_unblock(request.staff_member)},
    )


def _journal_events(request):
    events = AuditEvent.objects.filter(landlord=request.landlord).select_related("actor", "account")
    return AuditFilter(request.GET or None, queryset=events)


@require_safe
@staff_required("journal.view")
def journal(request):
    filters = _journal_events(request)
    table = AuditTable(filters.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "backoffice/journal.html", {"filters": filters, "table": table})


@require_safe
@staff_required("journal.view")
def journal_csv(request):
    filters = _journal_events(request)
    rows = journal_rows(filters.qs)
    audit_journal_export(request, filters.form.cleaned_data if filters.is_valid() else {})
    response = HttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{request.landlord.slug}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@staff_required("staff.manage")
def team(request):
    form = InvitationForm(request.POST or None, landlord=request.landlord)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(request, **form.cleaned_data)
        except invitations.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"L'invitation est envoyée à {invitation.email}.")
            return redirect("backoffice:team")
    members = StaffMember.objects.filter(landlord=request.landlord).select_related("user")
    pending = StaffInvitation.objects.filter(
        landlord=request.landlord, used_at__isnull=True, expires_at__gt=timezone.now()
    )
    return render(
        request,
        "backoffice/team.html",
        {
            "form": form,
            "members": members.prefetch_related("agencies"),
            "pending": pending,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required("staff.manage")
def deactivate_member(request, member_id):
    member = get_object_or_404(StaffMember, pk=member_id, landlord=request.landlord)
    if member.user_id == request.user.pk:
        messages.error(request, "Vous ne pouvez pas désactiver votre propre compte.")
    else:
        invitations.deactivate(request, member)
        messages.success(request, f"Le compte de {member.user.email} est désactivé.")
    return redirect("backoffice:team")


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = invitations.valid_invitation(request, token)
    if invitation is None:
        return render(request, "backoffice/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        if invitations.accept(request, token, form.cleaned_data["password1"]) is None:
            return render(request, "backoffice/invitation_invalid.html", status=404)
        messages.success(
            request,
            "Votre accès est créé. Connectez-vous, puis activez la vérification en deux étapes.",
        )
        return redirect("account_login")
    return render(request, "backoffice/invitation.html", {"form": form, "invitation": invitation})
