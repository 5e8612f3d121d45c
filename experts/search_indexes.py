"""The search index of the 劳模工匠库, and the words of the skill taxonomy the segmenter keeps whole.
Contact details (phone, e-mail) are never part of a document."""
from collections import defaultdict

from search.index import Dependency, FilterField, IndexDefinition, SearchField, joined, register, values
from search.text import register_words

from alliance.models import Studio

from .models import Expert, ExpertHonour, Skill
from .selectors import expert_list, skill_words
from .taxonomy import curated_words

# The curated areas are known before any skill is loaded; the Skill rows are what the secretariat curates.
register_words("experts.curated_taxonomy", curated_words, static=True)
register_words("experts.skills", skill_words)


def skill_text(skills) -> str:
    """Skill names and their synonyms, one line per skill: a query in either wording finds the skill.

    The same skill gives the same line in every document, which the segmenter caches.
    """
    return joined(*(" ".join([s.name, *s.synonyms]) for s in skills))


class ExpertIndex(IndexDefinition):
    name = "expert"
    model = Expert
    search_fields = (
        SearchField("name", boost=5.0),
        SearchField("skills", boost=4.0),
        SearchField("skill_tags", boost=3.0),
        SearchField("employer", boost=2.0),
        SearchField("studio", boost=2.0),
        SearchField("title", boost=1.5),
        SearchField("achievements", boost=1.5),
        SearchField("bio", boost=1.0),
    )
    filter_fields = (
        FilterField("province"),
        FilterField("city"),
        FilterField("category"),
        FilterField("skill"),
        FilterField("honour"),
        FilterField("industry"),
        FilterField("role"),
        FilterField("studio_id", facet=False),
        FilterField("accepting", facet=False),
    )
    m2m_fields = ("skills",)

    def get_queryset(self):
        return Expert.objects.all()

    def visible_rows(self, user):
        return expert_list(user=user).select_related("studio").prefetch_related("honours", "skills")

    def document(self, expert):
        return self.documents(Expert.objects.filter(pk=expert.pk))[0]

    def documents(self, queryset):
        # values() rather than instances: a rebuild reads every expert, and building
        # Skill instances (with their synonym lists) per expert dominated its time.
        rows = list(queryset.values(
            "id", "name", "skill_tags", "employer", "studio_id", "studio__name", "professional_title", "position",
            "achievements", "bio", "province", "city", "industry", "role", "accepting_pairings",
        ))
        experts = queryset.values("pk")  # a subquery: an IN list of every id would be prepared per query
        skill_ids = defaultdict(list)
        for expert_id, skill_id in Expert.skills.through.objects.filter(expert_id__in=experts).values_list(
            "expert_id", "skill_id"
        ):
            skill_ids[expert_id].append(skill_id)
        skills = Skill.objects.only("id", "code", "name", "category", "synonyms").in_bulk(
            {pk for pks in skill_ids.values() for pk in pks}
        )
        honours = defaultdict(list)
        for expert_id, honour in ExpertHonour.objects.filter(expert_id__in=experts).values_list("expert_id", "honour"):
            honours[expert_id].append(honour)
        documents = []
        for row in rows:
            own = sorted((skills[pk] for pk in skill_ids[row["id"]]), key=lambda s: s.code)
            documents.append({
                "id": row["id"],
                "name": row["name"],
                "skills": skill_text(own),
                "skill_tags": joined(*row["skill_tags"]),
                "employer": row["employer"],
                "studio": row["studio__name"] or "",
                "title": joined(row["professional_title"], row["position"]),
                "achievements": row["achievements"],
                "bio": row["bio"],
                "province": values(row["province"]),
                "city": values(row["city"]),
                "category": values(*(s.category for s in own)),
                "skill": values(*(s.code for s in own)),
                "honour": values(*honours[row["id"]]),
                "industry": values(row["industry"]),
                "role": values(row["role"]),
                "studio_id": values(row["studio_id"]),
                "accepting": values("yes" if row["accepting_pairings"] else "no"),
            })
        return documents

    def dependencies(self):
        return [
            Dependency(Skill, lambda skill: skill.experts.values_list("pk", flat=True)),
            Dependency(Studio, lambda studio: studio.members.values_list("pk", flat=True)),
            Dependency(ExpertHonour, lambda honour: [honour.expert_id]),
        ]


register(ExpertIndex())
