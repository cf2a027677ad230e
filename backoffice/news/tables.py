import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from news.models import NewsItem


class NewsTable(tables.Table):
    title = tables.Column(verbose_name="Titre")
    audience = tables.Column(verbose_name="Pour", empty_values=(), orderable=False)
    state = tables.Column(verbose_name="État", empty_values=(), orderable=False)
    author = tables.Column(verbose_name="Rédigée par", accessor="author__email")

    class Meta:
        model = NewsItem
        fields = ["title", "audience", "state", "author"]
        template_name = "django_tables2/table.html"
        attrs = {"class": "bo-table"}
        empty_text = "Aucune actualité pour le moment."

    def render_title(self, record, value):
        url = reverse("backoffice:news_edit", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_audience(self, record):
        return record.audience_label

    def render_state(self, record):
        return record.status_label()
