"""The filters of enterprises and challenges: one FilterSet per list, used by REST and by GraphQL (through
jianglian.graphql.filters)."""
import django_filters

from experts.filters import SkillIdOrCodeFilter
from jianglian.choices import Category, Industry, Province
from jianglian.filters import BooleanFilter, ReferenceFilter
from jianglian.roles import enterprise_ids

from .models import Challenge, Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(choices=Province.choices)
    city = django_filters.CharFilter()
    industry = django_filters.ChoiceFilter(choices=Industry.choices)
    size = django_filters.ChoiceFilter(choices=Enterprise.Size.choices)
    verified = BooleanFilter()
    mine = BooleanFilter(method="filter_mine", help_text="只看本人所在企业 / only the caller's enterprises")

    class Meta:
        model = Enterprise
        fields = ("province", "city", "industry", "size", "verified", "mine")

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        ids = enterprise_ids(getattr(self.request, "user", None))
        return queryset.filter(id__in=ids) if value else queryset.exclude(id__in=ids)


class ChallengeFilter(django_filters.FilterSet):
    """`province`/`city` are where the enterprise is; `preferred_province` where it wants help from."""

    province = django_filters.ChoiceFilter(field_name="enterprise__province", choices=Province.choices)
    city = django_filters.CharFilter(field_name="enterprise__city")
    preferred_province = django_filters.ChoiceFilter(choices=Province.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    skill = SkillIdOrCodeFilter(field_name="skills")
    status = django_filters.ChoiceFilter(choices=Challenge.Status.choices)
    enterprise = ReferenceFilter(field_name="enterprise_id", type_name="Enterprise")
    mine = BooleanFilter(method="filter_mine",
                                        help_text="只看本企业的需求 / only challenges of the caller's enterprises")

    class Meta:
        model = Challenge
        fields = ("province", "city", "preferred_province", "category", "skill", "status", "enterprise", "mine")

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        ids = enterprise_ids(getattr(self.request, "user", None))
        return queryset.filter(enterprise_id__in=ids) if value else queryset.exclude(enterprise_id__in=ids)
