from django.contrib import admin

from staff.models import StaffInvitation, StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "landlord", "role", "is_active"]
    list_filter = ["landlord", "role", "is_active"]
    raw_id_fields = ["user"]
    filter_horizontal = ["agencies"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "landlord", "role", "created_at", "expires_at", "used_at"]
    readonly_fields = ["token_hash"]
