from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Comptabilité locataire"

    def ready(self):
        # The cached closed months are forgotten when one changes.
        from billing import periods  # noqa: F401
