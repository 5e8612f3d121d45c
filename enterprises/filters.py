"""Filters of enterprises and challenges, shared by REST and GraphQL."""
import django_filters

from jianglian.choices import Category, Industry, Province
from jianglian.filters import IntegerFilter

from .models import Challenge, Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(choices=Province.choices)
    city = django_filters.CharFilter()
    industry = django_filters.ChoiceFilter(choices=Industry.choices)
    size = django_filters.ChoiceFilter(choices=Enterprise.Size.choices)
    verified = django_filters.BooleanFilter()

    class Meta:
        model = Enterprise
        fields = ("province", "city", "industry", "size", "verified")


class ChallengeFilter(django_filters.FilterSet):
    """`province`/`city` are where the enterprise is; `preferred_province` where it wants help from."""

    province = django_filters.ChoiceFilter(field_name="enterprise__province", choices=Province.choices)
    city = django_filters.CharFilter(field_name="enterprise__city")
    preferred_province = django_filters.ChoiceFilter(choices=Province.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    skill = django_filters.CharFilter(field_name="skills__code", distinct=True)
    status = django_filters.ChoiceFilter(choices=Challenge.Status.choices)
    enterprise = IntegerFilter(field_name="enterprise_id")

    class Meta:
        model = Challenge
        fields = ("province", "city", "preferred_province", "category", "skill", "status", "enterprise")
