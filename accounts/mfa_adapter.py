"""allauth's MFA adapter, answering its sign-in's question from the login's own lookup.

allauth's sign-in asks whether the login has an authenticator app or a passkey (its MFA
stage) with a query of its own. EmailBackend reads that answer with the login itself (the
same query, moments before), and leaves it on the user object for this request: any
other question (other types, another user object, a later request) is asked of the
database as allauth does.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

# (the types asked, the answer), set on the user object by accounts.backends.
SIGN_IN_MFA = "_sign_in_mfa"
# What allauth's MFA stage asks at sign-in (allauth.mfa.stages.AuthenticateStage).
SIGN_IN_TYPES = frozenset({Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})


def sign_in_mfa_query():
    """Whether the login whose id is the outer query's `user_id` has one of SIGN_IN_TYPES
    (an Exists to annotate)."""
    return Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"), type__in=SIGN_IN_TYPES))


class MFAAdapter(DefaultMFAAdapter):
    def is_mfa_enabled(self, user, types=None) -> bool:
        known = getattr(user, SIGN_IN_MFA, None)
        if known is not None and types is not None and frozenset(types) == known[0]:
            return known[1]
        return super().is_mfa_enabled(user, types)
