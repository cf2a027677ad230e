"""The password reset token (ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR).

A module of its own: allauth.account.forms loads it while being imported itself, so
it imports nothing that imports allauth's forms or views.
"""

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator

from landlords import scope


class LandlordPasswordResetTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    """allauth's reset token (dead once the password or the email changes), which also
    opens only on the landlord host where it was asked for."""

    def _make_hash_value(self, user, timestamp) -> str:
        # Imported here: the bridge imports allauth's forms, which are loading this module.
        from core.allauth_bridge import current_request

        landlord_scope = scope.token_scope(current_request())
        return f"{super()._make_hash_value(user, timestamp)}|{landlord_scope}"
