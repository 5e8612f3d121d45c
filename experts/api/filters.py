"""REST filters of experts and skills: the shared FilterSets of `experts.filters`, with a `skill`
filter that takes a skill id or code."""
import django_filters
from django.db.models import Q

from jianglian.filters import db_integer

from ..filters import ExpertFilter, SkillFilter


def filter_skill_id_or_code(queryset, name, value):
    """`?skill=12` or `?skill=distillation`: a skill id or code (a numeric code matches too)."""
    value = (value or "").strip()
    if not value:
        return queryset
    match = Q(**{f"{name}__code": value})
    skill_id = db_integer(value)
    if skill_id is not None:
        match |= Q(**{f"{name}__id": skill_id})
    return queryset.filter(match).distinct()


class ExpertApiFilter(ExpertFilter):
    skill = django_filters.CharFilter(field_name="skills", method=filter_skill_id_or_code,
                                      help_text="技能 id 或代码 / skill id or code")

    class Meta(ExpertFilter.Meta):
        pass


class SkillApiFilter(SkillFilter):
    class Meta(SkillFilter.Meta):
        pass
