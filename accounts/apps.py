from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accès des locataires"

    def ready(self):
        from allauth.account.signals import password_reset

        from accounts import lockout, sessions
        from core import rate_limits

        sessions.connect()
        rate_limits.install()

        def lift_lock(sender, request, user, **kwargs):
            # The email reset (allauth's); the SMS reset calls it itself.
            lockout.lift_lock(request, user)

        password_reset.connect(lift_lock, weak=False, dispatch_uid="accounts.lockout.lift_lock")
