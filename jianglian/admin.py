from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .admin_actions import run_service
from .models import AuditEntry, IdempotencyKey, Notification, NotificationLog, RosterUpload, ShortLink, UserPreference


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
    list_display = ("user", "language", "email_enabled", "sms_enabled", "phone")
    list_filter = ("language", "email_enabled", "sms_enabled")
    search_fields = ("user__username", "user__email", "phone")
    autocomplete_fields = ("user",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The inbox rows (站内信): written by the services' notify(), read by their recipients."""

    list_display = ("created_at", "kind", "recipient", "link", "read_at")
    list_filter = ("kind",)
    search_fields = ("key", "recipient__username")


@admin.register(ShortLink)
class ShortLinkAdmin(ReadOnlyAdmin):
    list_display = ("code", "target", "created_at")
    search_fields = ("code", "target")


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyAdmin):
    """The outbox (e-mail and SMS): written by the services, sent by Celery; read here."""

    list_display = ("created_at", "kind", "channel", "recipient", "to_email", "to_phone", "language", "status",
                    "attempts", "sent_at", "subject")
    list_filter = ("status", "channel", "kind", "language")
    search_fields = ("key", "subject", "to_email", "to_phone", "recipient__username", "last_error")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Insert-only (the model and, on PostgreSQL, a trigger refuse changes): listed and read here."""

    list_display = ("at", "actor_name", "actor_role", "subject_type", "subject_id", "action", "from_state",
                    "to_state", "note")
    list_filter = ("subject_type", "action", "actor_role")
    search_fields = ("note", "actor_name", "actor__username", "subject_type")
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


NO_ACCOUNT_DELETION = _("账号不能删除，只能停用：它签过的意向书、提交的申请和审计记录都要留下操作人。"
                        "请在账号列表中选中它，执行“停用所选账号”。")


class AccountAdmin(UserAdmin):
    """Django's user admin, with deletion replaced by deactivation (jianglian.services.account_deactivate)."""

    actions = ["deactivate", "reactivate"]

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        """Say why instead of a bare 403, and go back to the account."""
        self.message_user(request, NO_ACCOUNT_DELETION, level=messages.ERROR)
        meta = self.model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id]))

    @admin.action(description=_("停用所选账号"))
    def deactivate(self, request, queryset):
        run_service(self, request, queryset,
                    lambda account: services.account_deactivate(user=request.user, account=account,
                                                                reason="管理后台停用"),
                    done=_("已停用"))

    @admin.action(description=_("恢复所选账号"))
    def reactivate(self, request, queryset):
        run_service(self, request, queryset,
                    lambda account: services.account_reactivate(user=request.user, account=account,
                                                                reason="管理后台恢复"),
                    done=_("已恢复"))


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    """Retried creates' stored answers (jianglian.idempotency): read here."""

    list_display = ("created_at", "user", "key", "operation", "status_code", "object_type", "object_id")
    list_filter = ("operation",)
    search_fields = ("key", "user__username")
    list_select_related = ("user",)
