from django.core.management.base import BaseCommand
from django.utils import timezone

from news.models import NewsItem
from news.services import send_news_emails


class Command(BaseCommand):
    help = (
        "Queue the emails of published actualités whose publication time has come and that "
        "were not sent yet (a safety net for scheduled ones: cron, every 5 minutes)."
    )

    def handle(self, *args, **options):
        due = NewsItem.objects.filter(
            state=NewsItem.State.PUBLISHED, publish_at__lte=timezone.now(), emailed_at=None
        ).values_list("pk", flat=True)
        for pk in due:
            send_news_emails.enqueue(pk)
        self.stderr.write(f"{len(due)} actualité(s) à envoyer.")
