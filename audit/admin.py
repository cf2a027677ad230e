from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the journal is never edited."""

    list_display = ["created_at", "landlord", "actor", "actor_kind", "action", "account"]
    list_filter = ["landlord", "actor_kind", "action"]
    raw_id_fields = ["actor", "subject_user", "account"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
