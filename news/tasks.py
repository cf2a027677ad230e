"""Actualités by email, as a background task (`manage.py db_worker`)."""

from django_tasks import task

from news import services


@task()
def send_news_emails(news_id: int) -> int:
    return services.send_emails(news_id)
