from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jianglian.admin_actions import run_service
from matching.services import challenge_matches_request  # the admin is an interface: it may use every layer

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
        """Ask for each selected challenge's ranking as its page does (matching.services.challenge_matches_request:
        an open one is recomputed, a draft previewed, a paired, resolved or closed one refused with the reason),
        and say for each challenge what happened."""
        def request_ranking(challenge):
            challenge_matches_request(user=request.user, challenge=challenge)
            queued = _("已排队计算匹配预览") if challenge.status == Challenge.Status.DRAFT else _("已排队重新计算")
            self.message_user(request, f"{challenge}: {queued}", level=messages.SUCCESS)

        run_service(self, request, queryset, request_ranking, done=_("已排队计算匹配的需求"))
