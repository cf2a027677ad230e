"""The platform operators' view of requests and insurance certificates (read-mostly: staff
handle them in the espace agence, where every change is journaled)."""

from django.contrib import admin

from servicerequests.models import (
    Attachment,
    InsuranceCertificate,
    Message,
    RequestCategory,
    SavedReply,
    ServiceRequest,
    StatusChange,
)


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "landlord", "family", "response_days", "is_active"]
    list_filter = ["landlord", "family", "is_active"]


@admin.register(SavedReply)
class SavedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "landlord", "category"]
    list_filter = ["landlord"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in StatusChange._meta.fields]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Message._meta.fields]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Attachment._meta.fields]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: a request changes through servicerequests.services only."""

    list_display = ["reference", "account", "category", "status", "created_at"]
    list_filter = ["status", "category__landlord"]
    search_fields = ["public_id", "account__number"]
    inlines = [StatusChangeInline, MessageInline, AttachmentInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InsuranceCertificate)
class InsuranceCertificateAdmin(admin.ModelAdmin):
    """Read-only: staff accept or refuse certificates in the espace agence."""

    list_display = ["account", "end_date", "state", "created_at"]
    list_filter = ["state"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
