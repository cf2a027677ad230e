from django.apps import AppConfig


class LandlordsConfig(AppConfig):
    name = "landlords"
    verbose_name = "Bailleurs"
