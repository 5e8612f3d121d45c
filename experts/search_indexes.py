"""The search index of the 劳模工匠库. Contact details (phone, e-mail) are never part of a document."""
from search.index import Dependency, FilterField, IndexDefinition, SearchField, joined, register, values

from alliance.models import Studio

from .models import Expert, ExpertHonour, Skill


def skill_text(skills) -> str:
    """Skill names and their synonyms: a query in either wording finds the skill."""
    return joined(*(joined(s.name, *s.synonyms) for s in skills))


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
        return Expert.objects.select_related("studio").prefetch_related("skills", "honours")

    def document(self, expert):
        skills = list(expert.skills.all())
        return {
            "id": expert.pk,
            "name": expert.name,
            "skills": skill_text(skills),
            "skill_tags": joined(*expert.skill_tags),
            "employer": expert.employer,
            "studio": expert.studio.name if expert.studio else "",
            "title": joined(expert.professional_title, expert.position),
            "achievements": expert.achievements,
            "bio": expert.bio,
            "province": values(expert.province),
            "city": values(expert.city),
            "category": values(*(s.category for s in skills)),
            "skill": values(*(s.code for s in skills)),
            "honour": values(*(h.honour for h in expert.honours.all())),
            "industry": values(expert.industry),
            "role": values(expert.role),
            "studio_id": values(expert.studio_id),
            "accepting": values("yes" if expert.accepting_pairings else "no"),
        }

    def dependencies(self):
        return [
            Dependency(Skill, lambda skill: skill.experts.values_list("pk", flat=True)),
            Dependency(Studio, lambda studio: studio.members.values_list("pk", flat=True)),
            Dependency(ExpertHonour, lambda honour: [honour.expert_id]),
        ]


register(ExpertIndex())
