"""The campaign's activities on the site: 进校园 events and 助企行 service days.

Public: the activities (upcoming and past, each with its report), an event's page with its photos, a service day's
page with its figures, and the schools' request form. Those at a service day (the secretariat, its experts) log
the enterprises' questions on its page and turn an unsolved one into a draft challenge. The secretariat plans,
staffs and reports events and service days, and answers the schools' requests. Everything goes through
alliance.services and alliance.selectors (and matching.topics for the experts suggested for a topic).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance import selectors, services
from alliance.models import EventParticipation, EventRequest, OutreachEvent, ServiceDay, ServiceDayExpert
from enterprises.selectors import enterprise_list
from experts.selectors import experts_found
from jianglian.errors import TooManyRequests
from jianglian.signin import client_ip
from matching.topics import experts_for_topic

from ..forms import add_service_errors
from ..activity_forms import (
    AddEnterprisesForm, EventForm, EventReportForm, EventRequestForm, ExpertSearchForm, InviteExpertsForm,
    QuestionForm, ReasonForm, ServiceDayForm, SummaryForm,
)
from .common import call_for_form, cleaned, paginate, secretariat_required, service_call, signed_in

PICKER_SIZE = 20
PUBLIC_LIST = 12


# --- public -------------------------------------------------------------------------------------------------------

def activities(request):
    """Upcoming and past activities of both campaigns, each linking to its page and report."""
    now = timezone.now()
    events = selectors.event_list(user=request.user).filter(status__in=selectors.PUBLIC_EVENT_STATES)
    days = selectors.with_question_figures(
        selectors.service_day_list(user=request.user).filter(status__in=selectors.PUBLIC_SERVICE_DAY_STATES))
    upcoming = sorted(
        [*events.filter(starts_at__gte=now).exclude(status="held").order_by("starts_at", "id")[:PUBLIC_LIST],
         *days.filter(starts_at__gte=now, status="planned").order_by("starts_at", "id")[:PUBLIC_LIST]],
        key=lambda a: a.starts_at)
    past_events = events.filter(status="held").order_by("-starts_at", "-id")[:PUBLIC_LIST]
    past_days = days.filter(status="held").order_by("-starts_at", "-id")[:PUBLIC_LIST]
    return render(request, "frontend_stub/activities/list.html", {
        "upcoming": upcoming, "past_events": past_events, "past_days": past_days,
    })


def _event_with_people(user):
    return selectors.event_list(user=user).prefetch_related(
        Prefetch("participations", queryset=EventParticipation.objects.select_related("expert").order_by("id")),
        "photos")


def event_detail(request, pk):
    event = get_object_or_404(_event_with_people(request.user), pk=pk)
    return render(request, "frontend_stub/activities/event_detail.html", {
        "event": event,
        "participations": selectors.event_participations_visible(user=request.user, event=event),
    })


def event_request(request):
    """A school asks for an event (no account needed)."""
    form = EventRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot:
            messages.success(request, _("已收到您的申请，秘书处会尽快与您联系。"))
            return redirect("web:activities")
        if form.is_valid():
            try:
                services.event_request_submit(user=request.user, client_address=client_ip(request),
                                              **form.service_fields())
            except TooManyRequests as exc:
                form.add_error(None, str(exc))
                return render(request, "frontend_stub/activities/request_form.html", {"form": form}, status=429)
            except ValidationError as exc:
                add_service_errors(form, exc, {"preferred_dates": "date_1"})
            else:
                messages.success(request, _("已收到您的申请，秘书处会尽快与您联系。"))
                return redirect("web:activities")
    return render(request, "frontend_stub/activities/request_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _day_with_people(user):
    return selectors.with_question_figures(selectors.service_day_list(user=user)).prefetch_related(
        Prefetch("participations", queryset=ServiceDayExpert.objects.select_related("expert").order_by("id")),
        Prefetch("enterprises", queryset=enterprise_list(user=user).order_by("name")))


def service_day_detail(request, pk, question_form=None):
    day = get_object_or_404(_day_with_people(request.user), pk=pk)
    can_log = request.user.is_authenticated and selectors.can_log_on_service_day(request.user, day)
    questions = (selectors.service_question_list(user=request.user).filter(service_day=day)
                 .select_related("enterprise", "answered_by", "challenge").order_by("id"))
    if can_log and question_form is None:
        question_form = QuestionForm(day=day)
    return render(request, "frontend_stub/activities/service_day_detail.html", {
        "day": day, "questions": questions, "can_log": can_log,
        "loggable": can_log and day.status != "cancelled", "question_form": question_form,
    }, status=400 if question_form is not None and question_form.errors else 200)


@require_POST
@signed_in
def service_day_log(request, pk):
    day = get_object_or_404(selectors.service_day_list(user=request.user), pk=pk)
    if not selectors.can_log_on_service_day(request.user, day):
        raise PermissionDenied(_("只有秘书处或参与该现场服务的劳模工匠可以记录问题。"))
    form = QuestionForm(request.POST, day=day)
    if form.is_valid() and call_for_form(form, services.service_day_log_question, user=request.user, day=day,
                                         **form.cleaned_data):
        messages.success(request, _("已记录：%(topic)s") % {"topic": form.cleaned_data["topic"]})
        return redirect("web:service_day", pk=day.pk)
    return service_day_detail(request, pk, question_form=form)


@require_POST
@signed_in
def service_question_convert(request, pk, question_pk):
    day = get_object_or_404(selectors.service_day_list(user=request.user), pk=pk)
    question = get_object_or_404(selectors.service_question_list(user=request.user).filter(service_day=day),
                                 pk=question_pk)
    with service_call(request) as ok:
        question = services.service_question_convert(user=request.user, question=question)
    if ok:
        messages.success(request, _("已转成%(enterprise)s的需求草稿，企业检查后发布。") % {
            "enterprise": question.enterprise.name})
    return redirect("web:service_day", pk=day.pk)


# --- the secretariat ----------------------------------------------------------------------------------------------

@secretariat_required
def manage(request):
    """The secretariat's activities: schools' requests waiting, events and service days by status."""
    pending = selectors.event_request_list(user=request.user).filter(status=EventRequest.Status.PENDING) \
        .order_by("created_at", "id")
    events = selectors.event_list(user=request.user).order_by("-starts_at", "-id")
    days = selectors.with_question_figures(selectors.service_day_list(user=request.user)).order_by("-starts_at", "-id")
    return render(request, "frontend_stub/activities/manage.html", {
        "pending": pending, "events": paginate(request, events), "days": days[:50], "reason_form": ReasonForm(),
    })


@secretariat_required
def event_new(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = call_for_form(form, services.event_create, user=request.user, **form.cleaned_data)
        if event:
            messages.success(request, _("已创建活动：%(title)s") % {"title": event.title})
            return redirect("web:manage_event", pk=event.pk)
    return render(request, "frontend_stub/activities/event_form.html", {"form": form, "event": None},
                  status=400 if form.errors else 200)


@secretariat_required
def event_edit(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = EventForm.for_event(event, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        if call_for_form(form, services.event_update, user=request.user, event=event, **form.changed_fields()):
            messages.success(request, _("已保存。"))
            return redirect("web:manage_event", pk=event.pk)
    return render(request, "frontend_stub/activities/event_form.html", {"form": form, "event": event},
                  status=400 if form.errors else 200)


def expert_picker(request, *, title, description, province, city, taken_ids):
    """The picker's rows: experts found by name or skill when the secretariat searched, else those the matching
    engine ranks for the activity's text (near its place)."""
    search = ExpertSearchForm(request.GET or None)
    q = cleaned(search, "q").strip()
    if q:
        found = experts_found(user=request.user, q=q).exclude(pk__in=taken_ids).order_by("name", "id")[:PICKER_SIZE]
        return search, q, [(expert, None) for expert in found]
    ranked = experts_for_topic(user=request.user, title=title, description=description, province=province,
                               city=city, first=PICKER_SIZE // 2, exclude_ids=frozenset(taken_ids))
    return search, q, [(r.expert, r.score) for r in ranked]


@secretariat_required
def manage_event(request, pk, report_form=None):
    event = get_object_or_404(_event_with_people(request.user), pk=pk)
    participations = list(event.participations.all())
    taken = {p.expert_id for p in participations}
    search, q, picks = expert_picker(request, title=event.topic, description=event.title, province=event.province,
                                     city=event.city, taken_ids=taken)
    by_status = {status: [p for p in participations if p.status == status] for status, _ in
                 EventParticipation.Status.choices}
    return render(request, "frontend_stub/activities/manage_event.html", {
        "event": event, "by_status": by_status, "search": search, "q": q, "picks": picks,
        "invite_form": InviteExpertsForm(), "report_form": report_form or EventReportForm(),
        "reason_form": ReasonForm(), "open": event.status in services.EVENT_OPEN_STATES,
    }, status=400 if report_form is not None and report_form.errors else 200)


@require_POST
@secretariat_required
def event_invite(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = InviteExpertsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请至少选择一位劳模工匠。"))
    else:
        with service_call(request) as ok:
            invited = services.event_invite_experts(user=request.user, event=event,
                                                    experts=form.cleaned_data["experts"], role=form.cleaned_data["role"])
        if ok:
            messages.success(request, _("已邀请 %(n)s 位劳模工匠。") % {"n": len(invited)})
    return redirect("web:manage_event", pk=event.pk)


@require_POST
@secretariat_required
def event_confirm(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    with service_call(request) as ok:
        services.event_confirm(user=request.user, event=event)
    if ok:
        messages.success(request, _("活动已确认，公开显示在活动页。"))
    return redirect("web:manage_event", pk=event.pk)


@require_POST
@secretariat_required
def event_report(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = EventReportForm(request.POST, request.FILES)
    if form.is_valid():
        cap = services.settings.EVENT_PHOTO_MAX_BYTES + 1  # never read more than one byte over the cap
        photos = [(upload.read(cap), "") for upload in form.cleaned_data["photos"]]
        done = call_for_form(form, services.event_report, user=request.user, event=event,
                             audience_count=form.cleaned_data["audience_count"], summary=form.cleaned_data["summary"],
                             feedback=form.cleaned_data["feedback"], photos=photos)
        if done:
            messages.success(request, _("活动总结已提交。"))
            return redirect("web:event", pk=event.pk)
    return manage_event(request, pk, report_form=form)


@require_POST
@secretariat_required
def event_cancel(request, pk):
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    form = ReasonForm(request.POST)
    with service_call(request) as ok:
        services.event_cancel(user=request.user, event=event,
                              reason=cleaned(form, "reason"))
    if ok:
        messages.success(request, _("活动已取消，已通知受邀的劳模工匠。"))
    return redirect("web:manage_event", pk=event.pk)


@require_POST
@secretariat_required
def request_accept(request, pk):
    event_request_ = get_object_or_404(selectors.event_request_list(user=request.user), pk=pk)
    with service_call(request) as ok:
        event_request_ = services.event_request_accept(user=request.user, request=event_request_)
    if ok:
        messages.success(request, _("已接受申请并创建活动，请核对时间并邀请劳模工匠。"))
        return redirect("web:event_edit", pk=event_request_.event_id)
    return redirect("web:manage_activities")


@require_POST
@secretariat_required
def request_decline(request, pk):
    event_request_ = get_object_or_404(selectors.event_request_list(user=request.user), pk=pk)
    form = ReasonForm(request.POST)
    with service_call(request) as ok:
        services.event_request_decline(user=request.user, request=event_request_,
                                       reason=cleaned(form, "reason"))
    if ok:
        messages.success(request, _("已婉拒，原因已发送给学校。"))
    return redirect("web:manage_activities")


@secretariat_required
def service_day_new(request):
    form = ServiceDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = call_for_form(form, services.service_day_create, user=request.user, **form.cleaned_data)
        if day:
            messages.success(request, _("已创建现场服务：%(title)s") % {"title": day.title})
            return redirect("web:manage_service_day", pk=day.pk)
    return render(request, "frontend_stub/activities/service_day_form.html", {"form": form},
                  status=400 if form.errors else 200)


@secretariat_required
def manage_service_day(request, pk):
    day = get_object_or_404(_day_with_people(request.user), pk=pk)
    taken = {p.expert_id for p in day.participations.all()}
    search, q, picks = expert_picker(request, title=day.title, description=day.description, province=day.province,
                                     city=day.city, taken_ids=taken)
    eq = (request.GET.get("eq") or "").strip()[:64]
    in_day = {e.pk for e in day.enterprises.all()}
    enterprises = enterprise_list(user=request.user).filter(verified=True).exclude(pk__in=in_day)
    enterprises = (enterprises.filter(name__icontains=eq) if eq else enterprises.filter(province=day.province))
    return render(request, "frontend_stub/activities/manage_service_day.html", {
        "day": day, "search": search, "q": q, "picks": picks, "eq": eq,
        "enterprise_choices": enterprises.order_by("name", "id")[:PICKER_SIZE],
        "summary_form": SummaryForm(), "reason_form": ReasonForm(),
    })


@require_POST
@secretariat_required
def service_day_participants(request, pk):
    day = get_object_or_404(selectors.service_day_list(user=request.user), pk=pk)
    experts = InviteExpertsForm(request.POST)
    enterprises = AddEnterprisesForm(request.POST)
    chosen_experts = cleaned(experts, "experts", [])
    chosen_enterprises = cleaned(enterprises, "enterprises", [])
    if not chosen_experts and not chosen_enterprises:
        messages.error(request, _("请选择劳模工匠或企业。"))
    else:
        with service_call(request) as ok:
            services.service_day_add_participants(user=request.user, day=day, experts=chosen_experts,
                                                  enterprises=chosen_enterprises,
                                                  role=cleaned(experts, "role"))
        if ok:
            messages.success(request, _("已添加。"))
    return redirect("web:manage_service_day", pk=day.pk)


@require_POST
@secretariat_required
def service_day_close(request, pk, action):
    day = get_object_or_404(selectors.service_day_list(user=request.user), pk=pk)
    if action == "hold":
        form = SummaryForm(request.POST)
        with service_call(request) as ok:
            services.service_day_hold(user=request.user, day=day,
                                      summary=cleaned(form, "summary"))
    elif action == "cancel":
        form = ReasonForm(request.POST)
        with service_call(request) as ok:
            services.service_day_cancel(user=request.user, day=day,
                                        reason=cleaned(form, "reason"))
    else:
        return HttpResponseRedirect(reverse("web:manage_service_day", args=[day.pk]))
    if ok:
        messages.success(request, _("已保存。"))
    return redirect("web:service_day", pk=day.pk)
