from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jianglian.admin_actions import run_service
from matching.services import challenge_matches_request  # the admin is an interface: it may use every layer

from . import services
from .models import Challenge, Enterprise


class EnterpriseAdminForm(forms.ModelForm):
    """The group (所属集团) follows the services' rule (one level deep, never the enterprise itself), shown on the
    field."""

    class Meta:
        model = Enterprise
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if "group" in self.changed_data and self.instance.pk:
            try:
                services.enterprise_group_check(self.instance, cleaned.get("group"))
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Edits go through enterprises.services.enterprise_update: a group set here (the secretariat's) is verified at
    once, audited, and ranks the group's open challenges again; a group the enterprise set waits for the
    "verify group" action."""

    form = EnterpriseAdminForm
    list_display = ("name", "credit_code", "province", "city", "industry", "size", "verified", "group",
                    "group_is_verified", "created_at")
    list_filter = ("verified", "industry", "size", "province", ("group", admin.EmptyFieldListFilter))
    search_fields = ("name", "credit_code", "city")
    autocomplete_fields = ("staff", "group")
    readonly_fields = ("verified", "verified_at", "verified_by", "group_verified_at", "group_verified_by",
                       "created_at")
    list_select_related = ("group",)
    actions = ["verify", "verify_group"]

    @admin.display(boolean=True, description=_("集团关系已核实"))
    def group_is_verified(self, enterprise):
        return enterprise.group_verified if enterprise.group_id else None

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data
                  if name in services.ENTERPRISE_EDITABLE_FIELDS} if change else {}
        if fields:  # the service sets them, with its rules; the rest (credit code…) is saved as the admin does
            current = Enterprise.objects.get(pk=obj.pk)
            for name in fields:
                setattr(obj, name, getattr(current, name))
        super().save_model(request, obj, form, change)
        if fields:
            saved = services.enterprise_update(user=request.user, enterprise=Enterprise.objects.get(pk=obj.pk),
                                               **fields)
            for name in [*fields, "group_verified_at", "group_verified_by"]:
                setattr(obj, name, getattr(saved, name))

    @admin.action(description=_("核实所选企业的所属集团"))
    def verify_group(self, request, queryset):
        run_service(self, request, queryset,
                    lambda enterprise: services.enterprise_group_verify(user=request.user, enterprise=enterprise),
                    done=_("已核实集团关系"))

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
