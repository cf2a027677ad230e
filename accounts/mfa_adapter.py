"""allauth's MFA adapter, answering its sign-in's question from the login's own lookup.

allauth's sign-in asks whether the login has an authenticator app or a passkey (its MFA
stage) with a query of its own. EmailBackend reads that answer with the login itself (the
same query, moments before), and leaves it on the user object for that one question: any
other (other types, another user object, the same question asked again) goes to the
database as allauth's does.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

# (the types asked, the answer), set on the user object by accounts.backends.
SIGN_IN_MFA = "_sign_in_mfa"
# What allauth's MFA stage asks at sign-in (allauth.mfa.stages.AuthenticateStage).
SIGN_IN_TYPES = frozenset({Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})


def sign_in_mfa_sql(quote, user_id: str) -> tuple[str, list[str]]:
    """SQL and its parameters: whether the login whose id is `user_id` (an outer query's
    column) has one of SIGN_IN_TYPES, for a statement written by hand (`quote`: the
    connection's quote_name)."""
    meta = Authenticator._meta
    table = quote(meta.db_table)
    types = sorted(SIGN_IN_TYPES)
    return (  # names from the model's _meta, the types as parameters
        f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{quote(meta.get_field('user').column)}"  # noqa: S608
        f" = {user_id} AND {table}.{quote(meta.get_field('type').column)}"
        f" IN ({', '.join(['%s'] * len(types))}))",
        types,
    )


class MFAAdapter(DefaultMFAAdapter):
    def is_mfa_enabled(self, user, types=None) -> bool:
        known = getattr(user, SIGN_IN_MFA, None)
        if known is not None and types is not None and frozenset(types) == known[0]:
            # Once: asked again later (an authenticator added or removed meanwhile), the
            # database answers.
            delattr(user, SIGN_IN_MFA)
            return known[1]
        return super().is_mfa_enabled(user, types)
