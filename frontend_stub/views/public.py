"""Public pages: home, batches, the expert and studio catalog and profiles (no contact details)."""
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from alliance.selectors import expert_service_day_history, prefetch_outreach_history, studio_list, upcoming_activities
from enterprises.models import Challenge
from enterprises.selectors import challenge_list
from experts.models import ExpertHonour, Skill
from experts.selectors import expert_list, skill_list, skills_found
from jianglian.choices import Honour
from search.errors import SearchUnavailable

from .. import catalog, selectors
from ..forms import CatalogSearchForm, SkillSuggestForm

SKILL_SUGGESTIONS = 12


def home(request):
    batches = list(selectors.published_batches()[:3])
    open_challenges = (
        challenge_list(user=request.user).filter(status=Challenge.Status.OPEN)
        .select_related("enterprise").order_by("-published_at", "-id")[:6]
    )
    return render(request, "frontend_stub/home.html", {
        "figures": selectors.alliance_figures(),
        "batches": batches,
        "open_challenges": open_challenges,
        "upcoming_activities": upcoming_activities(user=request.user, limit=4),
    })


def batches(request):
    return render(request, "frontend_stub/batches.html", {"batches": selectors.published_batches()})


def _catalog(request, kind):
    """The catalog through the search layer; 503 with a "try again shortly" page when the backend cannot answer."""
    form = CatalogSearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    search = catalog.search_experts if kind == "expert" else catalog.search_studios
    query = request.GET.copy()
    query.pop("page", None)
    # The export link: the REST export with the catalog's filters (its free-text query is the search's own).
    filters = {"province": params.get("province"), "category": params.get("category"), "skill": params.get("skill"),
               **({"membership_status": params.get("membership")} if kind == "studio"
                  else {"honour": params.get("honour")})}
    context = {"form": form, "query": query, "params": params, "kind": kind,
               "export_query": urlencode({key: value for key, value in filters.items() if value})}
    try:
        context["result"] = search(
            user=request.user, q=params.get("q") or "", province=params.get("province") or "",
            category=params.get("category") or "", skill=params.get("skill") or "", page=params.get("page") or 1,
            **({"membership": params.get("membership") or ""} if kind == "studio"
               else {"honour": params.get("honour") or ""}),
        )
    except SearchUnavailable as exc:
        response = render(request, "frontend_stub/search_unavailable.html", context, status=503)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, f"frontend_stub/catalog_{kind}s.html", context)


def experts(request):
    return _catalog(request, "expert")


def studios(request):
    return _catalog(request, "studio")


def expert_detail(request, pk):
    expert = get_object_or_404(
        expert_list(user=request.user).select_related("studio").prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by("code")),
            Prefetch("honours", queryset=ExpertHonour.objects.order_by("year", "id")),
            prefetch_outreach_history("outreach_history"),
        ),
        pk=pk,
    )
    return render(request, "frontend_stub/expert_detail.html", {
        "expert": expert, "honours": Honour, "service_days": expert_service_day_history(expert=expert)[:20]})


def studio_detail(request, pk):
    studio = get_object_or_404(
        studio_list(user=request.user).select_related("lead", "batch").prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by("code")), "members",
        ),
        pk=pk,
    )
    return render(request, "frontend_stub/studio_detail.html", {"studio": studio})


@require_GET
def skill_suggestions(request):
    """GET ?q=精馏 → {"results": [{"id", "code", "name", "category"}]} for the skill picker."""
    form = SkillSuggestForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"results": [], "errors": form.errors.get_json_data()}, status=400)
    q = form.cleaned_data["q"]  # stripped by the field
    qs = skills_found(q) if q else skill_list()
    rows = qs.order_by("code")[:SKILL_SUGGESTIONS]
    return JsonResponse({"results": [
        {"id": s.pk, "code": s.code, "name": s.name, "name_en": s.name_en, "category": s.category}
        for s in rows
    ]})

