"""The filters of the 劳模工匠库 and the skill taxonomy: one FilterSet per list, used by REST
(`?province=sichuan&skill=distillation`) and by GraphQL (`experts(province: SICHUAN, skill: "distillation")`,
through jianglian.graphql.filters).

Values are the stored codes: province/city/industry/honour codes, a skill's id or `code`, a studio's id.
"""
import django_filters
from django.db.models import Q

from jianglian.choices import Category, Honour, Industry, Province
from jianglian.filters import BooleanFilter, ReferenceFilter, db_integer

from .models import Expert, Skill


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


class SkillIdOrCodeFilter(django_filters.CharFilter):
    """A skill by its id or its code, through the relation `field_name` (skills)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", filter_skill_id_or_code)
        kwargs.setdefault("help_text", "技能 id 或代码 / skill id or code")
        super().__init__(*args, **kwargs)


class ExpertFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(choices=Province.choices)
    city = django_filters.CharFilter()
    industry = django_filters.ChoiceFilter(choices=Industry.choices)
    category = django_filters.ChoiceFilter(field_name="skills__category", choices=Category.choices, distinct=True)
    skill = SkillIdOrCodeFilter(field_name="skills")
    honour = django_filters.ChoiceFilter(field_name="honours__honour", choices=Honour.choices, distinct=True)
    studio = ReferenceFilter(field_name="studio_id", type_name="Studio")
    accepting_pairings = BooleanFilter()

    class Meta:
        model = Expert
        fields = ("province", "city", "industry", "category", "skill", "honour", "studio", "accepting_pairings")


class SkillFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(help_text="技能代码 / skill code, e.g. pumps-seals")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="上级领域的代码")
    top_level = BooleanFilter(field_name="parent", lookup_expr="isnull")

    class Meta:
        model = Skill
        fields = ("code", "category", "parent", "top_level")
