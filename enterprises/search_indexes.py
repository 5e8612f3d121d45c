"""The search index of challenges. Only public ones (open, paired, resolved) are ever indexed:
a draft or a closed challenge has no document, so no query or filter can reveal it."""
from experts.models import Skill
from experts.search_indexes import skill_text
from search.index import Dependency, FilterField, IndexDefinition, SearchField, register, values

from .models import Challenge, Enterprise
from .selectors import PUBLIC_CHALLENGE_STATUSES, challenge_list


class ChallengeIndex(IndexDefinition):
    name = "challenge"
    model = Challenge
    search_fields = (
        SearchField("title", boost=5.0),
        SearchField("skills", boost=4.0),
        SearchField("enterprise", boost=2.0),
        SearchField("description", boost=1.0),
    )
    filter_fields = (
        FilterField("status"),
        FilterField("category"),
        FilterField("province"),
        FilterField("city"),
        FilterField("skill"),
        FilterField("enterprise_id", facet=False),
    )
    m2m_fields = ("skills",)

    def get_queryset(self):
        return (
            Challenge.objects.filter(status__in=PUBLIC_CHALLENGE_STATUSES)
            .select_related("enterprise")
            .prefetch_related("skills")
        )

    def visible_rows(self, user):
        return challenge_list(user=user).select_related("enterprise")

    def document(self, challenge):
        skills = list(challenge.skills.all())
        return {
            "id": challenge.pk,
            "title": challenge.title,
            "skills": skill_text(skills),
            "enterprise": challenge.enterprise.name,
            "description": challenge.description,
            "status": values(challenge.status),
            "category": values(challenge.category),
            "province": values(challenge.enterprise.province),
            "city": values(challenge.enterprise.city),
            "skill": values(*(s.code for s in skills)),
            "enterprise_id": values(challenge.enterprise_id),
        }

    def dependencies(self):
        return [
            Dependency(Skill, lambda skill: skill.challenges.values_list("pk", flat=True)),
            Dependency(Enterprise, lambda enterprise: enterprise.challenges.values_list("pk", flat=True)),
        ]


register(ChallengeIndex())
