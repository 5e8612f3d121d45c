"""The secretariat's dashboard: what waits for review, campaign charts, links into GraphiQL and the admin."""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from alliance.models import MembershipApplication
from alliance.selectors import membership_application_list
from alliance.services import ReviewDecision, membership_batch_publish, membership_review
from enterprises.models import Enterprise
from enterprises.selectors import group_claims_pending
from enterprises.services import enterprise_group_verify, enterprise_verify
from experts.models import Expert
from experts.selectors import unclaimed_experts
from experts.services import expert_claim_token
from jianglian.notifications import failed_notifications
from jianglian.reports import campaign_report, value_label
from matching.pairings.selectors import liaison_queue

from .. import selectors
from ..forms import BatchForm, ClaimSearchForm, NoteForm, add_service_errors
from ..graphql_examples import EXAMPLE_OPERATIONS
from .common import cleaned, paginate, secretariat_required, service_call
from .reports import last_twelve_months, report_charts


def graphql_console_links():
    try:
        console = reverse("graphql")
    except NoReverseMatch:
        console = "/graphql/"
    return [
        {"title": op["title"], "description": op["description"],
         "url": f"{console}?{urlencode({'query': op['query'], 'variables': op.get('variables', '')})}"}
        for op in EXAMPLE_OPERATIONS
    ]


def _approved_unpublished(user):
    return (
        membership_application_list(user=user, status=MembershipApplication.Status.APPROVED)
        .filter(batch__isnull=True).select_related("studio").order_by("reviewed_at", "id")
    )


@secretariat_required
def dashboard(request):
    return _dashboard(request)


def _dashboard(request, batch_form=None):
    applications = (
        membership_application_list(user=request.user, status=MembershipApplication.Status.PENDING)
        .select_related("studio", "studio__lead").order_by("submitted_at", "id")[:20]
    )
    approved = list(_approved_unpublished(request.user))
    if batch_form is None:
        batch_form = BatchForm(applications=approved, initial={"applications": [a.pk for a in approved]})
    date_from, date_to = last_twelve_months()
    report = campaign_report(user=request.user, date_from=date_from, date_to=date_to)
    return render(request, "frontend_stub/secretariat/dashboard.html", {
        "applications": applications,
        "pending_count": selectors.pending_membership_count(),
        "enterprises": selectors.pending_enterprise_verifications()[:20],
        "group_claims": group_claims_pending().order_by("name", "pk")[:20],
        "figures": selectors.alliance_figures(),
        "report": report,  # the campaign report of the last twelve months: totals and charts
        "report_totals": [(m.metric, value_label(m.metric, m.total)) for m in report.metrics],
        **report_charts(report),
        "graphql_links": graphql_console_links(),
        "failed_notifications": failed_notifications(),
        "unclaimed_count": unclaimed_experts(user=request.user).count(),
        "liaison_count": liaison_queue(user=request.user).count(),
        "approved": approved,
        "batch_form": batch_form,
        "note_form": NoteForm(),
    }, status=400 if batch_form.errors else 200)


@require_POST
@secretariat_required
def review_application(request, pk, decision):
    application = get_object_or_404(membership_application_list(user=request.user), pk=pk)
    if decision not in ReviewDecision.ALL:
        return redirect("web:secretariat")
    form = NoteForm(request.POST)
    note = cleaned(form, "note")
    with service_call(request) as ok:
        membership_review(user=request.user, application=application, decision=decision, note=note)
    if ok:
        done = _("已批准") if decision == ReviewDecision.APPROVE else _("未批准")
        messages.success(request, f"{application.studio.name}：{done}")
    return redirect("web:secretariat")


@require_POST
@secretariat_required
def publish_batch(request):
    approved = list(_approved_unpublished(request.user))
    form = BatchForm(request.POST, applications=approved)
    if form.is_valid():
        with service_call(request) as ok:
            try:
                batch = membership_batch_publish(user=request.user, name=form.cleaned_data["name"],
                                                 application_ids=[a.pk for a in form.cleaned_data["applications"]])
            except ValidationError as exc:
                add_service_errors(form, exc, {"application_ids": "applications"})
                ok.failed = True
        if ok:
            messages.success(request, _("已发布成员批次：%(name)s") % {"name": batch.name})
            return redirect("web:batches")
    return _dashboard(request, batch_form=form)


@require_POST
@secretariat_required
def verify_enterprise(request, pk):
    enterprise = get_object_or_404(Enterprise, pk=pk)
    with service_call(request) as ok:
        enterprise_verify(user=request.user, enterprise=enterprise)
    if ok:
        messages.success(request, _("已认证企业：%(name)s") % {"name": enterprise.name})
    return redirect("web:secretariat")


@require_POST
@secretariat_required
def verify_enterprise_group(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.select_related("group"), pk=pk)
    with service_call(request) as ok:
        enterprise_group_verify(user=request.user, enterprise=enterprise)
    if ok:
        messages.success(request, _("已核实集团关系：%(name)s 属于 %(group)s") % {
            "name": enterprise.name, "group": enterprise.group.name})
    return redirect("web:secretariat")


@require_POST
@secretariat_required
def expert_claim_link(request, pk):
    """Issue the sign-up link of one unclaimed catalog entry; the secretariat sends it to the expert."""
    expert = get_object_or_404(Expert, pk=pk)
    link = None
    with service_call(request) as ok:
        token = expert_claim_token(user=request.user, expert=expert)
    if ok:
        link = request.build_absolute_uri(reverse("web:signup_expert") + "?" + urlencode({"token": token}))
    return render(request, "frontend_stub/secretariat/claim_link.html", {"expert": expert, "link": link})


@secretariat_required
def expert_claims(request):
    """The catalog entries nobody has claimed: searched by name, employer or phone, paged, with true counts; each
    with its sign-up link button."""
    form = ClaimSearchForm(request.GET or None)
    query = cleaned(form, "q")
    found = unclaimed_experts(user=request.user, q=query)
    return render(request, "frontend_stub/secretariat/claims.html", {
        "form": form, "query": query, "page": paginate(request, found),
        "total": unclaimed_experts(user=request.user).count() if query else None,
    })
