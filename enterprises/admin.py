from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jianglian.admin_actions import run_service

from . import services
from .models import Challenge, Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "province", "city", "industry", "size", "verified", "created_at")
    list_filter = ("verified", "industry", "size", "province")
    search_fields = ("name", "credit_code", "city")
    autocomplete_fields = ("staff",)
    readonly_fields = ("verified", "verified_at", "verified_by", "created_at")
    actions = ["verify"]

    @admin.action(description=_("认证所选企业"))
    def verify(self, request, queryset):
        run_service(self, request, queryset,
                    lambda enterprise: services.enterprise_verify(user=request.user, enterprise=enterprise),
                    done=_("已认证"))


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "category", "status", "preferred_province", "published_at", "created_at")
    list_filter = ("status", "category", "preferred_province")
    search_fields = ("title", "description", "enterprise__name")
    autocomplete_fields = ("enterprise", "skills")
    readonly_fields = ("status", "created_by", "created_at", "updated_at", "published_at", "closed_at")
    list_select_related = ("enterprise",)
    date_hierarchy = "created_at"
    actions = ["close", "recompute_matches"]

    @admin.action(description=_("关闭所选需求"))
    def close(self, request, queryset):
        run_service(self, request, queryset,
                    lambda challenge: services.challenge_close(user=request.user, challenge=challenge,
                                                               reason="秘书处在管理后台关闭"),
                    done=_("已关闭"))

    @admin.action(description=_("重新计算匹配"))
    def recompute_matches(self, request, queryset):
        from matching.services import queue_match_computation

        run_service(self, request, queryset.filter(status=Challenge.Status.OPEN), queue_match_computation,
                    done=_("已排队重新计算"))
