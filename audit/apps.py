from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "journal"

    def ready(self):
        from audit import signals  # noqa: F401  (connects the security event receivers)
