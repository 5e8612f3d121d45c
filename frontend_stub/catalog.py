"""The public catalog of experts and studios: search, facets and highlighted snippets.

`catalog_search` asks the project's search backend (search/) when it is available and
falls back to plain database filters otherwise, so the pages work on a fresh checkout
before any index is built. Either way private contact details never reach a result:
the search documents do not hold them and the templates never print them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Case, Count, Prefetch, Q, Value, When

from alliance.models import Studio
from experts.models import Expert, ExpertHonour, Skill
from jianglian.choices import Category, Honour, Province

logger = logging.getLogger(__name__)

PER_PAGE = 12
FACET_SKILLS = 12


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class CatalogResult:
    kind: str  # "expert" | "studio"
    page: object  # a Paginator page of model objects, each with .snippet (safe HTML or "")
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    engine: str = "database"


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _tokens(q: str) -> list[str]:
    from search.text import tokenize_query

    return tokenize_query(q) if q else []


def _snippet(obj, tokens, *texts) -> str:
    from search.text import highlight

    if not tokens:
        return ""
    for text in texts:
        snippet = highlight(text or "", tokens, max_chars=90)
        if snippet:
            return snippet
    return ""


def _text_filter(tokens, fields) -> Q:
    query = Q()
    for token in tokens:
        for name in fields:
            query |= Q(**{f"{name}__icontains": token})
    return query


def _facet(rows, key, labels, selected) -> list[FacetValue]:
    return [
        FacetValue(value=row[key], label=labels.get(row[key], row[key]), count=row["n"], selected=row[key] == selected)
        for row in rows if row[key]
    ]


def _skill_names() -> dict:
    return dict(Skill.objects.values_list("code", "name"))


def _expert_rows(qs):
    return qs.select_related("studio").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("code")),
        Prefetch("honours", queryset=ExpertHonour.objects.order_by("year", "id")),
    )


def _studio_rows(qs):
    return qs.select_related("lead", "batch").prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("code")))


def search_experts(*, q: str = "", province: str = "", category: str = "", honour: str = "", skill: str = "",
                   page: int | None = 1, per_page: int = PER_PAGE, use_index: bool = True) -> CatalogResult:
    if use_index:
        found = _search_backend(
            "expert", _expert_rows(Expert.objects.all()),
            {"province": _labels(Province.choices), "category": _labels(Category.choices),
             "honour": _labels(Honour.choices), "skill": _skill_names()},
            q=q, filters={"province": province, "category": category, "honour": honour, "skill": skill},
            page=page, per_page=per_page)
        if found is not None:
            return found
    tokens = _tokens(q)
    qs = Expert.objects.all()
    if province:
        qs = qs.filter(province=province)
    if category:
        qs = qs.filter(skills__category=category)
    if honour:
        qs = qs.filter(honours__honour=honour)
    if skill:
        qs = qs.filter(skills__code=skill)
    if tokens:
        qs = qs.filter(_text_filter(tokens, ["name", "bio", "achievements", "employer", "skills__name",
                                             "professional_title", "studio__name"]))
    ids = qs.values("id").distinct()
    base = Expert.objects.filter(id__in=ids)
    facets = {
        "province": _facet(base.values("province").annotate(n=Count("id")).order_by("-n", "province"),
                           "province", _labels(Province.choices), province),
        "category": _facet(Skill.objects.filter(experts__in=ids).values("category")
                           .annotate(n=Count("experts", distinct=True)).order_by("-n", "category"),
                           "category", _labels(Category.choices), category),
        "honour": _facet(ExpertHonour.objects.filter(expert__in=ids).values("honour")
                         .annotate(n=Count("expert", distinct=True)).order_by("-n", "honour"),
                         "honour", _labels(Honour.choices), honour),
        "skill": _facet(Skill.objects.filter(experts__in=ids).values("code", "name")
                        .annotate(n=Count("experts", distinct=True)).order_by("-n", "code")[:FACET_SKILLS],
                        "code", {}, skill),
    }
    skill_names = dict(Skill.objects.filter(code__in=[f.value for f in facets["skill"]]).values_list("code", "name"))
    for facet in facets["skill"]:
        facet.label = skill_names.get(facet.value, facet.value)
    listing = _expert_rows(base).order_by("id")
    paged = Paginator(listing, per_page).get_page(page)
    for expert in paged.object_list:
        expert.snippet = _snippet(expert, tokens, expert.bio, expert.achievements, expert.employer,
                                  " ".join(s.name for s in expert.skills.all()))
    return CatalogResult(kind="expert", page=paged, total=paged.paginator.count, facets=facets)


def search_studios(*, q: str = "", province: str = "", category: str = "", skill: str = "", membership: str = "",
                   page: int | None = 1, per_page: int = PER_PAGE, use_index: bool = True,
                   **_ignored) -> CatalogResult:
    if use_index:
        found = _search_backend(
            "studio", _studio_rows(Studio.objects.all()),
            {"membership": _labels(Studio.MembershipStatus.choices), "province": _labels(Province.choices),
             "category": _labels(Category.choices), "skill": _skill_names()},
            q=q, filters={"membership": membership, "province": province, "category": category, "skill": skill},
            page=page, per_page=per_page)
        if found is not None:
            return found
    tokens = _tokens(q)
    qs = Studio.objects.all()
    if membership:
        qs = qs.filter(membership_status=membership)
    if province:
        qs = qs.filter(province=province)
    if category:
        qs = qs.filter(skills__category=category)
    if skill:
        qs = qs.filter(skills__code=skill)
    if tokens:
        qs = qs.filter(_text_filter(tokens, ["name", "description", "achievements", "host_enterprise",
                                             "skills__name", "lead__name"]))
    ids = qs.values("id").distinct()
    base = Studio.objects.filter(id__in=ids)
    facets = {
        "membership": _facet(base.values("membership_status").annotate(n=Count("id")).order_by("-n"),
                             "membership_status", _labels(Studio.MembershipStatus.choices), membership),
        "province": _facet(base.values("province").annotate(n=Count("id")).order_by("-n", "province"),
                           "province", _labels(Province.choices), province),
        "category": _facet(Skill.objects.filter(studios__in=ids).values("category")
                           .annotate(n=Count("studios", distinct=True)).order_by("-n", "category"),
                           "category", _labels(Category.choices), category),
        "skill": _facet(Skill.objects.filter(studios__in=ids).values("code")
                        .annotate(n=Count("studios", distinct=True)).order_by("-n", "code")[:FACET_SKILLS],
                        "code", {}, skill),
    }
    skill_names = dict(Skill.objects.filter(code__in=[f.value for f in facets["skill"]]).values_list("code", "name"))
    for facet in facets["skill"]:
        facet.label = skill_names.get(facet.value, facet.value)
    listing = _studio_rows(base).annotate(
        member_first=Case(When(membership_status=Studio.MembershipStatus.MEMBER, then=Value(0)), default=Value(1))
    ).order_by("member_first", "id")
    paged = Paginator(listing, per_page).get_page(page)
    for studio in paged.object_list:
        studio.snippet = _snippet(studio, tokens, studio.description, studio.achievements,
                                  " ".join(s.name for s in studio.skills.all()))
    return CatalogResult(kind="studio", page=paged, total=paged.paginator.count, facets=facets)


# --- through the search backend ---------------------------------------------------------------

SNIPPET_FIELDS = {
    "expert": ("bio", "achievements", "skills", "skill_tags", "employer", "title", "studio", "name"),
    "studio": ("description", "achievements", "skills", "focus", "host_enterprise", "lead", "name"),
}


def _backend():
    try:
        from search.backends import get_backend
    except ImportError:  # search/ has not landed its backends in this checkout
        return None
    try:
        return get_backend()
    except Exception:  # noqa: BLE001 — a misconfigured backend must not take the catalog down
        logger.exception("search backend unavailable; the catalog lists from the database")
        return None


def _search_backend(kind, model_qs, facet_labels, *, q, filters, page, per_page):
    backend = _backend()
    if backend is None:
        return None
    page = max(1, int(page or 1))
    try:
        results = backend.search(kind, q, filters={k: v for k, v in filters.items() if v},
                                 limit=per_page, offset=(page - 1) * per_page,
                                 facets=list(facet_labels), highlight=bool(q))
    except Exception:  # noqa: BLE001
        logger.exception("catalog search failed; the catalog lists from the database")
        return None
    objects = {obj.pk: obj for obj in model_qs.filter(pk__in=results.ids)}
    rows = []
    for hit in results.hits:
        obj = objects.get(hit.id)
        if obj is None:  # deleted since it was indexed; the next reconcile drops it
            continue
        obj.snippet = next((hit.highlights[f] for f in SNIPPET_FIELDS[kind] if hit.highlights.get(f)), "")
        rows.append(obj)
    paged = _SearchPage(rows, number=page, total=results.total, per_page=per_page)
    facets = {}
    for name, labels in facet_labels.items():
        counted = results.facets.get(name, [])
        facets[name] = [FacetValue(value=v, label=labels.get(v, v), count=n, selected=v == filters.get(name))
                        for v, n in counted if v][: FACET_SKILLS if name == "skill" else None]
    return CatalogResult(kind=kind, page=paged, total=results.total, facets=facets, engine=backend.name)


class _SearchPage:
    """The few Page attributes the catalog template reads, for results paged by the backend."""

    def __init__(self, rows, *, number, total, per_page):
        self.object_list = rows
        self.number = number
        self.num_pages = max(1, -(-total // per_page))
        self.paginator = self
        self.count = total

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1
