"""The search index of 劳模工匠创新工作室."""
from experts.models import Expert, Skill
from experts.search_indexes import skill_text
from search.index import Dependency, FilterField, IndexDefinition, SearchField, joined, register, values

from .models import Studio
from .selectors import studio_list


class StudioIndex(IndexDefinition):
    name = "studio"
    model = Studio
    search_fields = (
        SearchField("name", boost=5.0),
        SearchField("skills", boost=4.0),
        SearchField("focus", boost=3.0),
        SearchField("host_enterprise", boost=2.0),
        SearchField("lead", boost=2.0),
        SearchField("achievements", boost=1.5),
        SearchField("description", boost=1.0),
    )
    filter_fields = (
        FilterField("province"),
        FilterField("city"),
        FilterField("category"),
        FilterField("skill"),
        FilterField("level"),
        FilterField("membership"),
    )
    m2m_fields = ("skills",)

    def get_queryset(self):
        return Studio.objects.select_related("lead").prefetch_related("skills")

    def visible_rows(self, user):
        return studio_list(user=user).select_related("lead").prefetch_related("skills")

    def document(self, studio):
        skills = list(studio.skills.all())
        return {
            "id": studio.pk,
            "name": studio.name,
            "skills": skill_text(skills),
            "focus": joined(*studio.focus),
            "host_enterprise": studio.host_enterprise,
            "lead": studio.lead.name if studio.lead else "",
            "achievements": studio.achievements,
            "description": studio.description,
            "province": values(studio.province),
            "city": values(studio.city),
            "category": values(*(s.category for s in skills)),
            "skill": values(*(s.code for s in skills)),
            "level": values(studio.level),
            "membership": values(studio.membership_status),
        }

    def dependencies(self):
        return [
            Dependency(Skill, lambda skill: skill.studios.values_list("pk", flat=True)),
            Dependency(Expert, lambda expert: expert.led_studios.values_list("pk", flat=True)),
        ]


register(StudioIndex())
