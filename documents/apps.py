from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        from billing.periods import period_reclosed
        from documents.tasks import on_period_reclosed

        # A month closed again by a corrective import: its notices' new version.
        period_reclosed.connect(on_period_reclosed, dispatch_uid="documents.notice_versions")
