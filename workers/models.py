from django.db import models


class Heartbeat(models.Model):
    """A background worker (`manage.py worker`) that is alive: it updates `seen_at` every
    few seconds. A task left running by a worker whose heartbeat stopped is run again
    (workers/reclaim.py); `manage.py worker_health` reads these rows."""

    worker_id = models.CharField("identifiant du processus", max_length=64, primary_key=True)
    hostname = models.CharField("machine", max_length=255)
    pid = models.PositiveIntegerField("numéro de processus")
    started_at = models.DateTimeField("démarré le")
    seen_at = models.DateTimeField("dernier signe de vie", db_index=True)

    class Meta:
        verbose_name = "processus de fond"
        verbose_name_plural = "processus de fond"
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} ({self.pid})"
