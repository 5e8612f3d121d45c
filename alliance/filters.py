"""Filters of studios and membership applications, shared by REST and GraphQL."""
import django_filters

from jianglian.choices import Category, Province
from jianglian.filters import IntegerFilter

from .models import MembershipApplication, Studio


class StudioFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(choices=Province.choices)
    city = django_filters.CharFilter()
    level = django_filters.ChoiceFilter(choices=Studio.Level.choices)
    category = django_filters.ChoiceFilter(field_name="skills__category", choices=Category.choices, distinct=True)
    skill = django_filters.CharFilter(field_name="skills__code", distinct=True)
    membership_status = django_filters.ChoiceFilter(choices=Studio.MembershipStatus.choices)

    class Meta:
        model = Studio
        fields = ("province", "city", "level", "category", "skill", "membership_status")


class MembershipApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=MembershipApplication.Status.choices)
    studio = IntegerFilter(field_name="studio_id")

    class Meta:
        model = MembershipApplication
        fields = ("status", "studio")
