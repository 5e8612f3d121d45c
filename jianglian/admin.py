from django.contrib import admin

from alliance.admin import ReadOnlyAdmin

from .models import NotificationLog, UserPreference


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
