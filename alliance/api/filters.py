"""REST filters of studios and membership applications: the shared FilterSets of `alliance.filters`,
with `skill` as a skill id or code, the lead's `honour`, and the host `batch`."""
import django_filters

from experts.api.filters import filter_skill_id_or_code
from jianglian.choices import Honour
from jianglian.filters import IntegerFilter

from ..filters import MembershipApplicationFilter, StudioFilter


class StudioApiFilter(StudioFilter):
    skill = django_filters.CharFilter(field_name="skills", method=filter_skill_id_or_code,
                                      help_text="技能 id 或代码 / skill id or code")
    honour = django_filters.ChoiceFilter(field_name="lead__honours__honour", choices=Honour.choices, distinct=True,
                                         help_text="领衔人荣誉 / an honour of the lead expert")
    batch = IntegerFilter(field_name="batch__number", help_text="批次号 / batch number")

    class Meta(StudioFilter.Meta):
        fields = (*StudioFilter.Meta.fields, "honour", "batch")


class MembershipApplicationApiFilter(MembershipApplicationFilter):
    class Meta(MembershipApplicationFilter.Meta):
        pass
