"""The filters of studios, membership applications and batches, campus outreach events and the audit trail: one
FilterSet per list, used by REST and by GraphQL (through jianglian.graphql.filters)."""
import django_filters

from experts.filters import SkillIdOrCodeFilter
from jianglian.choices import Category, Honour, Province
from jianglian.filters import BooleanFilter, DateTimeFilter, IntegerFilter, ReferenceFilter
from jianglian.models import AuditEntry

from .models import (
    EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay, ServiceDayQuestion, Studio,
)


class StudioFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(choices=Province.choices)
    city = django_filters.CharFilter()
    level = django_filters.ChoiceFilter(choices=Studio.Level.choices)
    category = django_filters.ChoiceFilter(field_name="skills__category", choices=Category.choices, distinct=True)
    skill = SkillIdOrCodeFilter(field_name="skills")
    membership_status = django_filters.ChoiceFilter(choices=Studio.MembershipStatus.choices)
    honour = django_filters.ChoiceFilter(field_name="lead__honours__honour", choices=Honour.choices, distinct=True,
                                         help_text="领衔人荣誉 / an honour of the lead expert")
    batch = IntegerFilter(field_name="batch__number", help_text="批次号 / batch number")

    class Meta:
        model = Studio
        fields = ("province", "city", "level", "category", "skill", "membership_status", "honour", "batch")


class MembershipApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MembershipApplication.Status.choices)
    studio = ReferenceFilter(field_name="studio_id", type_name="Studio")

    class Meta:
        model = MembershipApplication
        fields = ("status", "studio")


class MembershipBatchFilter(django_filters.FilterSet):
    number = IntegerFilter()

    class Meta:
        model = MembershipBatch
        fields = ("number",)


class OutreachEventFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OutreachEvent.Status.choices, help_text="活动状态 / event status")
    expert = ReferenceFilter(type_name="Expert", method="filter_expert", unknown_matches_nothing=True,
                             help_text="参与的劳模工匠 / a confirmed participant")

    class Meta:
        model = OutreachEvent
        fields = ("status", "expert")

    def filter_expert(self, queryset, name, expert_id):
        return queryset.filter(participations__expert_id=expert_id, participations__status="confirmed").distinct()


class EventRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EventRequest.Status.choices, help_text="申请状态 / request status")
    province = django_filters.ChoiceFilter(choices=Province.choices)

    class Meta:
        model = EventRequest
        fields = ("status", "province")


class ServiceDayFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ServiceDay.Status.choices, help_text="状态 / status")
    province = django_filters.ChoiceFilter(choices=Province.choices)
    expert = ReferenceFilter(type_name="Expert", field_name="participations__expert_id", distinct=True,
                             unknown_matches_nothing=True, help_text="参与的劳模工匠 / a participating expert")
    enterprise = ReferenceFilter(type_name="Enterprise", field_name="enterprises__id", distinct=True,
                                 unknown_matches_nothing=True, help_text="参与企业 / a participating enterprise")

    class Meta:
        model = ServiceDay
        fields = ("status", "province", "expert", "enterprise")


class ServiceDayQuestionFilter(django_filters.FilterSet):
    service_day = ReferenceFilter(type_name="ServiceDay", field_name="service_day_id", unknown_matches_nothing=True)
    enterprise = ReferenceFilter(type_name="Enterprise", field_name="enterprise_id", unknown_matches_nothing=True)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    solved_on_site = BooleanFilter()

    class Meta:
        model = ServiceDayQuestion
        fields = ("service_day", "enterprise", "category", "solved_on_site")


class AuditEntryFilter(django_filters.FilterSet):
    subject_type = django_filters.CharFilter(max_length=100, help_text="如 matching.pairingagreement")
    subject_id = IntegerFilter()
    action = django_filters.CharFilter(max_length=64)
    actor = IntegerFilter(field_name="actor_id")
    since = DateTimeFilter(field_name="at", lookup_expr="gte", help_text="ISO 8601")
    until = DateTimeFilter(field_name="at", lookup_expr="lt", help_text="ISO 8601")

    class Meta:
        model = AuditEntry
        fields = ("subject_type", "subject_id", "action", "actor", "since", "until")
