"""REST filters of enterprises and challenges: the shared FilterSets of `enterprises.filters`, with
`skill` as a skill id or code and `mine` (challenges of the caller's enterprises)."""
import django_filters

from experts.api.filters import filter_skill_id_or_code
from jianglian.roles import enterprise_ids

from ..filters import ChallengeFilter, EnterpriseFilter


class EnterpriseApiFilter(EnterpriseFilter):
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="只看本人所在企业 / only the caller's enterprises")

    class Meta(EnterpriseFilter.Meta):
        fields = (*EnterpriseFilter.Meta.fields, "mine")

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        ids = enterprise_ids(getattr(self.request, "user", None))
        return queryset.filter(id__in=ids) if value else queryset.exclude(id__in=ids)


class ChallengeApiFilter(ChallengeFilter):
    skill = django_filters.CharFilter(field_name="skills", method=filter_skill_id_or_code,
                                      help_text="技能 id 或代码 / skill id or code")
    mine = django_filters.BooleanFilter(method="filter_mine",
                                        help_text="只看本企业的需求 / only challenges of the caller's enterprises")

    class Meta(ChallengeFilter.Meta):
        fields = (*ChallengeFilter.Meta.fields, "mine")

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        ids = enterprise_ids(getattr(self.request, "user", None))
        return queryset.filter(enterprise_id__in=ids) if value else queryset.exclude(enterprise_id__in=ids)
