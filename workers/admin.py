from django.contrib import admin

from workers.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin[Heartbeat]):
    list_display = ["hostname", "pid", "worker_id", "started_at", "seen_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request) -> bool:
        return False
