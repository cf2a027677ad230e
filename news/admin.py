from django.contrib import admin

from news.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "landlord", "audience", "state", "publish_at", "emailed_at"]
    list_filter = ["landlord", "state", "audience"]
    raw_id_fields = ["author"]
