from django.contrib import admin

from imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only history: runs are made in the espace agence."""

    list_display = ["created_at", "landlord", "kind", "file_name", "state", "error_count"]
    list_filter = ["landlord", "kind", "state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
