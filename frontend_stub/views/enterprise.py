"""Enterprise pages: my challenges, the challenge form, publish / close, the challenge page with its ranking
and the button that asks for it now (a draft's preview, an open challenge's refresh)."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Challenge, Enterprise
from enterprises.selectors import can_manage_challenge, challenge_list
from enterprises.services import challenge_close, challenge_create, challenge_publish, challenge_update
from jianglian.errors import Unavailable
from jianglian.roles import enterprise_ids
from matching.conflicts import can_see_exclusions, exclusion_list, studio_exclusion_list
from matching.pairings.selectors import can_propose_on, invitee_refusal, pairing_list, studio_invitation_list
from matching.selectors import RANKED_STATES, can_see_matches, ranking_refusal, ranking_request_refusal
from matching import selectors as matching_selectors
from matching.services import challenge_matches_request
from matching.similar import similar_challenges

from ..forms import ChallengeForm, CloseChallengeForm, InviteForm
from .common import call_for_form, cleaned, enterprise_required, service_call, signed_in

# How many of the ranked experts and studios the challenge page shows before "show all".
RANKING_SHOWN = {"experts": 10, "studios": 5}
SIMILAR_SHOWN_STATES = (Challenge.Status.DRAFT, Challenge.Status.OPEN)
STATUS_TABS = [Challenge.Status.DRAFT, Challenge.Status.OPEN, Challenge.Status.PAIRED,
               Challenge.Status.RESOLVED, Challenge.Status.CLOSED]


def _my_enterprises(user):
    return list(Enterprise.objects.filter(id__in=enterprise_ids(user)).order_by("id"))


@enterprise_required
def my_challenges(request):
    status = request.GET.get("status") or ""
    qs = challenge_list(user=request.user).filter(enterprise_id__in=enterprise_ids(request.user))
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("id")))
    if status in Challenge.Status.values:
        qs = qs.filter(status=status)
    challenges = qs.select_related("enterprise").annotate(
        match_count=Count("matches", distinct=True)).order_by("-updated_at", "-id")
    tabs = [(s.value, s.label, counts.get(s.value, 0)) for s in STATUS_TABS]
    return render(request, "frontend_stub/enterprise/my_challenges.html", {
        "challenges": challenges, "tabs": tabs, "status": status, "total": sum(counts.values()),
        "enterprises": _my_enterprises(request.user),
    })


def _save_challenge(request, form, challenge=None):
    """Create or update through the services; their ValidationError lands on the form's fields."""
    if challenge is None:
        return call_for_form(form, challenge_create, user=request.user, enterprise=form.cleaned_data["enterprise"],
                             **form.service_fields())
    return call_for_form(form, challenge_update, user=request.user, challenge=challenge, **form.service_fields())


@enterprise_required
def challenge_new(request):
    enterprises = Enterprise.objects.filter(id__in=enterprise_ids(request.user)).order_by("id")
    form = ChallengeForm(request.POST or None, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        challenge = _save_challenge(request, form)
        if challenge is not None:
            if request.POST.get("publish"):
                with service_call(request) as ok:
                    challenge_publish(user=request.user, challenge=challenge)
                if ok:
                    messages.success(request, _("需求已发布，正在为您匹配劳模工匠。"))
                return redirect("web:challenge", pk=challenge.pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("web:challenge", pk=challenge.pk)
    return render(request, "frontend_stub/enterprise/challenge_form.html", {"form": form, "challenge": None})


@enterprise_required
def challenge_edit(request, pk):
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    if not can_manage_challenge(request.user, challenge):
        raise PermissionDenied
    enterprises = Enterprise.objects.filter(pk=challenge.enterprise_id)
    initial = {
        "enterprise": challenge.enterprise_id, "title": challenge.title, "description": challenge.description,
        "category": challenge.category, "skills": list(challenge.skills.values_list("pk", flat=True)),
        "preferred_province": challenge.preferred_province, "preferred_city": challenge.preferred_city,
        "region_strictness": challenge.region_strictness,
    }
    form = ChallengeForm(request.POST or None, initial=initial, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        if _save_challenge(request, form, challenge) is not None:
            messages.success(request, _("需求已更新。"))
            return redirect("web:challenge", pk=challenge.pk)
    return render(request, "frontend_stub/enterprise/challenge_form.html", {"form": form, "challenge": challenge})


@require_POST
@enterprise_required
def challenge_publish_view(request, pk):
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    with service_call(request) as ok:
        challenge_publish(user=request.user, challenge=challenge)
    if ok:
        messages.success(request, _("需求已发布，正在为您匹配劳模工匠。"))
    return redirect("web:challenge", pk=pk)


@require_POST
@enterprise_required
def challenge_close_view(request, pk):
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    form = CloseChallengeForm(request.POST)
    reason = cleaned(form, "reason")
    with service_call(request) as ok:
        challenge_close(user=request.user, challenge=challenge, reason=reason)
    if ok:
        messages.success(request, _("需求已关闭。"))
    return redirect("web:challenge", pk=pk)


def challenge_detail(request, pk):
    """Anyone who may see the challenge sees it; its enterprise (and the secretariat) also see the ranking."""
    challenge = get_object_or_404(
        challenge_list(user=request.user).select_related("enterprise").prefetch_related("skills"), pk=pk)
    manages = can_manage_challenge(request.user, challenge)
    context = {
        "challenge": challenge, "manages": manages, "invite_form": InviteForm(),
        "close_form": CloseChallengeForm(), "ranking": None, "pairings": [],
        # the "preview / recompute matches" button: exactly when matching.selectors allows asking
        "can_request_ranking": ranking_request_refusal(request.user, challenge) is None,
        # "has this been solved before?" for a draft or open challenge (matching.similar)
        "similar": _similar(request.user, challenge),
    }
    if can_see_matches(request.user, challenge):
        ranking = _ranking(request.user, challenge)
        context["ranking_kind"] = _ranking_kind(challenge)
        context["ranking_computed_at"] = next(
            (rows[0].computed_at for rows in ranking.values() if rows), None)
        context["show_all"] = bool(request.GET.get("all"))
        context["ranking_total"] = {kind: len(rows) for kind, rows in ranking.items()}
        if not context["show_all"]:
            ranking = {kind: rows[:RANKING_SHOWN[kind]] for kind, rows in ranking.items()}
        context["ranking"] = ranking
        context["can_invite"] = can_propose_on(request.user, challenge)
        if context["can_invite"]:
            for match in ranking["experts"]:  # why an expert cannot be invited, shown instead of the button
                match.invite_refusal = invitee_refusal(challenge, match.expert)
        context["pairings"] = _pairings(request.user, challenge)
        # who was left out for a conflict of interest, and why: the secretariat only (matching.conflicts)
        context["exclusions"] = context["studio_exclusions"] = None
        if can_see_exclusions(request.user, challenge):
            context["exclusions"] = exclusion_list(user=request.user, challenge=challenge)
            context["studio_exclusions"] = studio_exclusion_list(user=request.user, challenge=challenge)
        context["pairing_by_expert"] = {}
        for pairing in reversed(context["pairings"]):  # the newest agreement per expert wins
            context["pairing_by_expert"][pairing.expert_id] = pairing
        # studio invitations (issue 12 §2): the newest per studio, shown on its card and in the list
        context["studio_invitations"] = list(studio_invitation_list(user=request.user).filter(challenge=challenge)
                                             .order_by("-proposed_at", "-id"))
        context["invitation_by_studio"] = {}
        for invitation in reversed(context["studio_invitations"]):
            context["invitation_by_studio"][invitation.studio_id] = invitation
    return render(request, "frontend_stub/enterprise/challenge_detail.html", context)


def _similar(user, challenge):
    """The solved challenges like a draft or open one; the page still answers when search cannot (no list)."""
    if challenge.status not in SIMILAR_SHOWN_STATES:
        return None
    try:
        return similar_challenges(user=user, challenge=challenge)
    except Unavailable:
        return None


def _ranking_kind(challenge) -> str:
    """What the stored ranking is, in matching.selectors' terms: "live" (kept current), "preview" (a draft's,
    computed on request) or "frozen" (the last one of a challenge no longer ranked)."""
    if ranking_refusal(challenge) is not None:
        return "frozen"
    return "live" if challenge.status in RANKED_STATES else "preview"


@require_POST
@signed_in
def challenge_matches_refresh(request, pk):
    """Ask for the challenge's ranking now (matching.services.challenge_matches_request): a draft's preview or
    an open challenge's refresh, computed in the background. The service decides who may and when."""
    challenge = get_object_or_404(challenge_list(user=request.user), pk=pk)
    preview = _ranking_kind(challenge) == "preview"
    with service_call(request) as ok:
        challenge_matches_request(user=request.user, challenge=challenge)
    if ok:
        messages.success(request, _("匹配预览已排队计算，稍后刷新本页即可查看。") if preview
                         else _("重新计算匹配已排队，稍后刷新本页即可查看新的结果。"))
    return redirect("web:challenge", pk=pk)


def _ranking(user, challenge) -> dict:
    """{"experts": [Match…], "studios": [Match…]} from matching.selectors, each Match with its reasons."""
    ranking = {
        "experts": list(matching_selectors.match_list(user=user, challenge=challenge, kind="expert")),
        "studios": list(matching_selectors.match_list(user=user, challenge=challenge, kind="studio")),
    }
    for rows in ranking.values():
        for match in rows:
            match.reasons = matching_selectors.match_reasons(match.breakdown)
    return ranking


def _pairings(user, challenge):
    return list(pairing_list(user=user).filter(challenge=challenge).order_by("-proposed_at", "-id"))
