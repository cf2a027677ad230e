"""The password reset token (ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR).

A module of its own: allauth.account.forms loads it while being imported itself, so
it imports nothing that imports allauth's forms or views.
"""

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.core import context

from landlords import scope


class LandlordPasswordResetTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    """allauth's reset token (dead once the password or the email changes), which also
    opens only on the landlord host where it was asked for."""

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{super()._make_hash_value(user, timestamp)}|{scope.token_scope(context.request)}"
