"""One FilterSet per list for both APIs. Each app declares a list's filters once, in `<app>/filters.py` (django-filter);
REST views use that FilterSet as it is (`filterset_class`), and a GraphQL connection (types.ConnectionField) reads the
same FilterSet through `graphql_filterset`, which changes only how a value is spelled in GraphQL:

- a ChoiceFilter is the GraphQL enum of its choices (`enums.enum_from_choices`): `province: SICHUAN`;
- a ReferenceFilter (a row by its id) takes the row's global id: `studio: "U3R1ZGlvOjE="`; a malformed id or one of
  another type is BAD_USER_INPUT on the field, or finds nothing when the filter says `unknown_matches_nothing`.

Field names, lookups, `distinct`, methods and labels are the FilterSet's own, so both APIs filter alike.
"""
from functools import cache

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from graphene_django.filter import TypedFilter
from graphql_relay import from_global_id

from jianglian.filters import GlobalIDFilter, ReferenceFilter, db_integer

from .enums import enum_for_choices


def _common(filter_) -> dict:
    return {"field_name": filter_.field_name, "lookup_expr": filter_.lookup_expr, "label": filter_._label,
            "method": filter_.method, "distinct": filter_.distinct, "exclude": filter_.exclude}


# No row has a negative id: what an id that names no row filters by.
NO_ROW = -1


class GlobalIDOrNothingField(forms.CharField):
    """A global id of `type_name` given as a String; cleans to its pk, or to NO_ROW when it names no row of that type."""

    def __init__(self, *args, type_name: str, **kwargs):
        self.type_name = type_name
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        try:
            type_name, raw_pk = from_global_id(value)
        except Exception:  # noqa: BLE001 — an id that does not decode names no row
            return NO_ROW
        pk = db_integer(raw_pk)
        return NO_ROW if type_name != self.type_name or pk is None else pk


class GlobalIDOrNothingFilter(django_filters.Filter):
    field_class = GlobalIDOrNothingField


def _graphql_filter(name: str, filter_, filterset_class):
    if isinstance(filter_, ReferenceFilter):
        if filter_.unknown_matches_nothing:
            return GlobalIDOrNothingFilter(type_name=filter_.type_name, **_common(filter_))
        return GlobalIDFilter(type_name=filter_.type_name, **_common(filter_))
    if isinstance(filter_, django_filters.ChoiceFilter):
        enum = enum_for_choices(filter_.extra["choices"])
        if enum is None:
            raise ImproperlyConfigured(f"{filterset_class.__name__}.{name}: no GraphQL enum for its choices "
                                       "(make one with jianglian.graphql.enums.enum_from_choices)")
        return TypedFilter(input_type=enum, **_common(filter_))
    return filter_


@cache
def graphql_filterset(filterset_class):
    """`filterset_class` as a GraphQL connection's FilterSet (see the module's docstring); one class per FilterSet."""
    declared = {name: _graphql_filter(name, filter_, filterset_class)
                for name, filter_ in filterset_class.base_filters.items()}
    meta = type("Meta", (filterset_class.Meta,), {})
    return type(filterset_class.__name__, (filterset_class,), {**declared, "Meta": meta})
