from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "actualités"

    def ready(self):
        # Mon compte's cached latest actualités are forgotten when one changes.
        from news import latest  # noqa: F401
