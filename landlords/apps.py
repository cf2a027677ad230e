from django.apps import AppConfig


class LandlordsConfig(AppConfig):
    name = "landlords"
    verbose_name = "Bailleurs"

    def ready(self):
        # The host cache forgets a landlord or host as soon as it is saved.
        from landlords import hosts  # noqa: F401
