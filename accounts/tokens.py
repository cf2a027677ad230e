"""Links sent by email belong to the landlord host that sent them (landlords.scope).

Email confirmation links (activation, email change) are sealed here; password reset
tokens mix the scope into their hash (accounts.reset_tokens).
"""

from allauth.account import views as allauth_views
from allauth.account.models import get_emailconfirmation_model
from django.conf import settings
from django.http import Http404
from django.urls import reverse

from accounts import activation
from landlords import scope


def tenant_link(request, landlord, viewname: str, args=()) -> str:
    """The absolute address of a tenants' portal page for an email to a tenant, on the
    landlord's tenants' host even when the espace agence sends it (Landlord.tenants_url)."""
    path = reverse(viewname, args=args, urlconf=settings.ROOT_URLCONF)
    if landlord is None:  # the platform host
        return request.build_absolute_uri(path)
    return landlord.tenants_url(request, path)


def email_confirmation_url(request, confirmation) -> str:
    """The activation or email change link, sealed for this host's landlord (whose hosts,
    the espace agence's included, share one scope) and opening on its tenants' host."""
    key = scope.seal(request, confirmation.key)
    return tenant_link(request, scope.request_landlord(request), "account_confirm_email", [key])


class ConfirmEmailView(allauth_views.ConfirmEmailView):
    """allauth's confirmation page, for a link sealed for this host's landlord only.

    A link opened on another landlord's host (or the platform's) shows the same page as
    a spent link, saying which landlord sent it, and changes nothing.
    """

    def get_object(self, queryset=None):
        key = scope.unseal(self.request, self.kwargs["key"])
        confirmation = get_emailconfirmation_model().from_key(key) if key else None
        if not confirmation:
            raise Http404
        return confirmation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        confirmation = context.get("confirmation")
        if confirmation is None:
            context["sent_by"] = scope.sealing_landlord(self.request, self.kwargs["key"])
        else:
            context["kind"] = activation.confirmation_kind(self.request, confirmation.email_address)
        return context


confirm_email = ConfirmEmailView.as_view()
