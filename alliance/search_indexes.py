"""The search index of 劳模工匠创新工作室: the studio's own text and its members' (skills, tags, bio, achievements).

A studio's document changes when a member's text does, and when a member joins, leaves or moves to another
studio (the studio left behind too): the sync's after-commit path queues both studios' ids with the member's,
once per transaction.
"""
from django.db.models import Prefetch, Q

from experts.models import Expert, Skill
from experts.search_indexes import skill_text
from search.index import (
    Dependency, FilterField, IndexDefinition, M2MDependency, SearchField, joined, register, values,
)

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
        # What the members can do: below the studio's own words, each in a field of its own (BM25 weighs a
        # term against the length of its field, and members' text is long).
        SearchField("member_skills", boost=1.5),
        SearchField("members", boost=0.75),
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
        members = Expert.objects.only("id", "name", "studio_id", "skill_tags", "bio", "achievements")
        return Studio.objects.select_related("lead").prefetch_related(
            "skills", Prefetch("members", queryset=members.prefetch_related("skills")))

    def visible_rows(self, user):
        return studio_list(user=user).select_related("lead").prefetch_related("skills")

    def document(self, studio):
        skills = list(studio.skills.all())
        members = list(studio.members.all())
        member_skills = {s.pk: s for member in members for s in member.skills.all()}
        return {
            "id": studio.pk,
            "name": studio.name,
            "skills": skill_text(skills),
            "focus": joined(*studio.focus),
            "host_enterprise": studio.host_enterprise,
            "lead": studio.lead.name if studio.lead else "",
            "achievements": studio.achievements,
            "description": studio.description,
            "member_skills": joined(skill_text(sorted(member_skills.values(), key=lambda s: s.code)),
                                    *dict.fromkeys(tag for member in members for tag in member.skill_tags)),
            "members": joined(*(joined(m.name, m.bio, m.achievements) for m in members)),
            "province": values(studio.province),
            "city": values(studio.city),
            "category": values(*(s.category for s in skills)),
            "skill": values(*(s.code for s in skills)),
            "level": values(studio.level),
            "membership": values(studio.membership_status),
        }

    def dependencies(self):
        return [
            Dependency(Skill, lambda skill: Studio.objects.filter(Q(skills=skill) | Q(members__skills=skill))
                       .values_list("pk", flat=True).distinct()),
            # A member's (or the lead's) text, joining or leaving; `previous_key`: the studio a member left.
            Dependency(Expert, lambda expert: [*expert.led_studios.values_list("pk", flat=True), expert.studio_id],
                       previous_key="studio"),
            M2MDependency(Expert, "skills", lambda expert_ids: Studio.objects.filter(members__in=expert_ids)
                          .values_list("pk", flat=True).distinct()),
        ]


register(StudioIndex())
