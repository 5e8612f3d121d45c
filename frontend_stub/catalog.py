"""The public catalog of experts and studios: search, facets and highlighted snippets.

Every search goes through the project's search layer (`search.selectors.search_visible`): the
same index, filters, visibility and highlights as `GET /api/v1/search/`. There is no second,
database-based search here. When the backend cannot answer, `search.errors.SearchUnavailable`
reaches the view, which answers 503 with a "try again shortly" page. Private contact details
never reach a result: the search documents do not hold them and the templates never print them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from alliance.models import Studio
from experts.models import Skill
from jianglian.choices import Category, Honour, Province
from search.selectors import search_visible

PER_PAGE = 12
FACET_SKILLS = 12

# The facets each catalog shows, in this order; "skill" is labelled with the taxonomy's names.
FACETS = {
    "expert": ("province", "category", "honour", "skill"),
    "studio": ("membership", "province", "category", "skill"),
}
# The highlighted field a result's snippet is taken from, first that matched.
SNIPPET_FIELDS = {
    "expert": ("bio", "achievements", "skills", "skill_tags", "employer", "title", "studio", "name"),
    "studio": ("description", "achievements", "skills", "focus", "host_enterprise", "lead", "name"),
}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class CatalogResult:
    kind: str  # "expert" | "studio"
    page: CatalogPage  # the rows, each with .snippet (safe HTML from search.text.highlight, or "")
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def search_experts(*, user, q: str = "", province: str = "", category: str = "", honour: str = "",
                   skill: str = "", page: int | None = 1, per_page: int = PER_PAGE) -> CatalogResult:
    return _search("expert", user=user, q=q, page=page, per_page=per_page,
                   filters={"province": province, "category": category, "honour": honour, "skill": skill})


def search_studios(*, user, q: str = "", province: str = "", category: str = "", skill: str = "",
                   membership: str = "", page: int | None = 1, per_page: int = PER_PAGE) -> CatalogResult:
    return _search("studio", user=user, q=q, page=page, per_page=per_page,
                   filters={"membership": membership, "province": province, "category": category, "skill": skill})


def _search(kind, *, user, q, filters, page, per_page) -> CatalogResult:
    """One page of `kind` through the search layer; raises SearchUnavailable when the backend cannot answer."""
    page = max(1, int(page or 1))
    found = search_visible(user=user, type=kind, q=q, filters={k: v for k, v in filters.items() if v},
                           page=page, page_size=per_page)
    rows = []
    for hit, row in found.hits:
        row.snippet = next((hit.highlights[f] for f in SNIPPET_FIELDS[kind] if hit.highlights.get(f)), "")
        rows.append(row)
    labels = _facet_labels(kind, found.facets.get("skill", [])[:FACET_SKILLS])
    facets = {
        name: [FacetValue(value=value, label=labels[name].get(value, value), count=count,
                          selected=value == filters.get(name))
               for value, count in found.facets.get(name, []) if value][: FACET_SKILLS if name == "skill" else None]
        for name in FACETS[kind]
    }
    return CatalogResult(kind=kind, page=CatalogPage(rows, number=page, total=found.total, per_page=per_page),
                         total=found.total, facets=facets)


def _facet_labels(kind, skill_counts) -> dict[str, dict]:
    """{facet: {value: label}}: choice labels, and the names of the skills counted (one query)."""
    codes = [code for code, _ in skill_counts if code]
    labels = {
        "province": dict(Province.choices), "category": dict(Category.choices), "honour": dict(Honour.choices),
        "membership": dict(Studio.MembershipStatus.choices),
        "skill": dict(Skill.objects.filter(code__in=codes).values_list("code", "name")) if codes else {},
    }
    return {name: {value: str(label) for value, label in labels[name].items()} for name in FACETS[kind]}


class CatalogPage:
    """The Page attributes the catalog and pagination templates read, for a page the backend cut."""

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

    def __getitem__(self, index):
        return self.object_list[index]

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1
