from django.contrib import admin

from .models import AuditEntry, NotificationLog, RosterUpload, UserPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services: listed and read, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyAdmin):
    """The e-mail outbox: written by the services, sent by Celery; read here."""

    list_display = ("created_at", "kind", "recipient", "to_email", "language", "status", "sent_at", "subject")
    list_filter = ("status", "kind", "language")
    search_fields = ("key", "subject", "to_email", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "subject_type", "subject_id", "action", "from_state", "to_state", "note")
    list_filter = ("subject_type", "action")
    search_fields = ("note", "actor__username", "subject_type")
    list_select_related = ("actor",)
    date_hierarchy = "at"


@admin.register(RosterUpload)
class RosterUploadAdmin(ReadOnlyAdmin):
    """Roster uploads (jianglian.rosters.jobs): written by the import services; read here, the file itself not shown."""

    list_display = ("created_at", "kind", "filename", "size", "uploaded_by", "status", "phase", "done")
    list_filter = ("kind", "status")
    search_fields = ("filename", "uploaded_by__username")
    list_select_related = ("uploaded_by",)
    exclude = ("data",)
    date_hierarchy = "created_at"
