from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jianglian.admin import ReadOnlyAdmin
from jianglian.admin_actions import run_service

from . import services
from .models import (
    EventParticipation, EventPhoto, EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay,
    ServiceDayExpert, ServiceDayQuestion, Studio,
)


@admin.register(MembershipBatch)
class MembershipBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "published_at", "published_by")
    search_fields = ("name",)
    list_select_related = ("published_by",)


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "host_enterprise", "lead", "province", "city", "membership_status", "batch")
    list_filter = ("level", "membership_status", "batch", "province")
    search_fields = ("name", "host_enterprise", "lead__name", "city", "description")
    autocomplete_fields = ("lead", "skills", "managers")
    readonly_fields = ("membership_status", "batch", "suspended_reason", "created_at", "updated_at")
    list_select_related = ("lead", "batch")
    actions = ["reinstate"]

    @admin.action(description=_("恢复所选工作室的成员资格"))
    def reinstate(self, request, queryset):
        run_service(self, request, queryset,
                    lambda studio: services.studio_reinstate(user=request.user, studio=studio, note="管理后台恢复"),
                    done=_("已恢复"))


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ("studio", "status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "batch")
    list_filter = ("status", "batch")
    search_fields = ("studio__name", "statement", "review_note")
    autocomplete_fields = ("studio",)
    readonly_fields = ("status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at", "review_note", "batch")
    list_select_related = ("studio", "submitted_by", "reviewed_by", "batch")
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # studios apply through the API or the web pages (membership_apply)

    def _review(self, request, queryset, decision, done):
        run_service(self, request, queryset,
                    lambda application: services.membership_review(user=request.user, application=application,
                                                                   decision=decision),
                    done=done)

    @admin.action(description=_("批准所选申请"))
    def approve(self, request, queryset):
        self._review(request, queryset, services.ReviewDecision.APPROVE, _("已批准"))

    @admin.action(description=_("不批准所选申请"))
    def reject(self, request, queryset):
        self._review(request, queryset, services.ReviewDecision.REJECT, _("未通过"))


class EventParticipationInline(admin.TabularInline):
    """Invitations are added here and sent by the service (mailed, as from the APIs); a participation then changes
    only by the expert's answer."""

    model = EventParticipation
    extra = 0
    fields = ("expert", "role", "status", "invited_at", "responded_at")
    autocomplete_fields = ("expert",)
    readonly_fields = ("status", "invited_at", "responded_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OutreachEventAdminForm(forms.ModelForm):
    class Meta:
        model = OutreachEvent
        fields = "__all__"

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if "starts_at" in self.changed_data:
            services.refuse_past_start(value)  # the service's rule, shown on the field
        return value


@admin.register(OutreachEvent)
class OutreachEventAdmin(admin.ModelAdmin):
    """Created, edited and its experts invited through alliance.services (event_create, event_update,
    event_invite_experts): the same audit trail, mails and refusals as the APIs."""

    form = OutreachEventAdminForm

    list_display = ("title", "school", "city", "starts_at", "format", "status", "capacity", "audience_count")
    list_filter = ("status", "format", "province", "requested_by_school")
    search_fields = ("title", "school", "city", "topic")
    readonly_fields = ("status", "created_by", "created_at", "audience_count", "report_summary", "report_feedback",
                       "cancel_reason")
    date_hierarchy = "starts_at"
    inlines = [EventParticipationInline]
    actions = ["confirm"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in services.EVENT_FIELDS}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = services.event_update(user=request.user, event=obj, **changed)
        else:
            saved = services.event_create(user=request.user, **fields)
        obj.pk, obj.status, obj.created_by_id = saved.pk, saved.status, saved.created_by_id

    def save_formset(self, request, form, formset, change):
        if formset.model is not EventParticipation:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # the change message's
        for invitation in formset.forms:
            if invitation.instance.pk is None and invitation.cleaned_data.get("expert") is not None:
                formset.new_objects += services.event_invite_experts(
                    user=request.user, event=form.instance, experts=[invitation.cleaned_data["expert"]],
                    role=invitation.cleaned_data.get("role") or "")

    @admin.action(description=_("确认所选活动"))
    def confirm(self, request, queryset):
        run_service(self, request, queryset,
                    lambda event: services.event_confirm(user=request.user, event=event), done=_("已确认"))


@admin.register(EventParticipation)
class EventParticipationAdmin(ReadOnlyAdmin):
    """Read only: invitations are sent from the event's page (the service), answered by the experts."""

    list_display = ("event", "expert", "role", "status", "invited_at", "responded_at")
    list_filter = ("status",)
    search_fields = ("event__title", "expert__name")
    list_select_related = ("event", "expert")


# Campaign activities: written through the pages and the APIs (alliance.services); the admin reads them.

@admin.register(EventPhoto)
class EventPhotoAdmin(ReadOnlyAdmin):
    list_display = ("event", "caption", "content_type", "size", "uploaded_at")
    list_select_related = ("event",)


@admin.register(EventRequest)
class EventRequestAdmin(ReadOnlyAdmin):
    list_display = ("school", "contact_name", "topic", "format", "status", "created_at", "reviewed_at")
    list_filter = ("status", "format", "province")
    search_fields = ("school", "contact_name", "topic")


@admin.register(ServiceDay)
class ServiceDayAdmin(ReadOnlyAdmin):
    list_display = ("title", "venue", "city", "starts_at", "status")
    list_filter = ("status", "venue_kind", "province")
    search_fields = ("title", "venue", "city")


@admin.register(ServiceDayExpert)
class ServiceDayExpertAdmin(ReadOnlyAdmin):
    list_display = ("service_day", "expert", "role", "added_at")
    list_select_related = ("service_day", "expert")


@admin.register(ServiceDayQuestion)
class ServiceDayQuestionAdmin(ReadOnlyAdmin):
    list_display = ("service_day", "enterprise", "topic", "category", "solved_on_site", "workers_trained", "challenge")
    list_filter = ("category", "solved_on_site")
    list_select_related = ("service_day", "enterprise", "challenge")
