"""Serializer building blocks shared by every app's REST features."""
import re

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from jianglian.filters import datetime_out_of_range, db_integer

_INTEGER = re.compile(r"-?[0-9]+")

UNKNOWN_FIELD_MESSAGE = "未知或不可修改的字段 / Unknown or read-only field."


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField for input, refusing (400 `overflow`) a datetime beyond years 1–9999 in UTC or in the
    current time zone. DRF checks the zone it converts to, but a naive 0001-01-01T00:00 raised OverflowError
    inside DRF (a 500) and 0001-01-01T00:00Z passed, to be shown as year 0 nowhere. Input model serializers
    map every model DateTimeField to it; declare it for other datetime input (list parameters)."""

    def to_internal_value(self, value):
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")
        if datetime_out_of_range(parsed):
            self.fail("overflow")
        return parsed


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not declare (no silent mass assignment, OWASP API3).

    `status`, `verified`, `enterprise`, `reviewed_by` … are simply not declared on input serializers,
    so posting them answers 400 with a message on each such field and writes nothing.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        initial = getattr(self, "initial_data", None)
        if hasattr(initial, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(initial.keys()) - writable)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD_MESSAGE] for name in unknown})
        for value in attrs.values():  # only once every field is valid: bad input is a 400 first
            if value is HIDDEN or (isinstance(value, list) and any(item is HIDDEN for item in value)):
                raise NotFound()
        return attrs


class StrictInputModelSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """A ModelSerializer used for input only: it borrows field types and validators from the model,
    but is never saved; the view hands `validated_data` to a service."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateTimeField: DateTimeField}

    def create(self, validated_data):  # pragma: no cover - guard
        raise NotImplementedError("Input serializers are never saved; call the service.")

    def update(self, instance, validated_data):  # pragma: no cover - guard
        raise NotImplementedError("Input serializers are never saved; call the service.")


class EagerLoading:
    """`optimize(queryset)` adds the joins/prefetches/annotations an output serializer reads, so a list
    costs a fixed number of queries whatever its length. Declare `select_related`/`prefetch_related`,
    or override `optimize` (call super) to annotate."""

    select_related: tuple = ()
    prefetch_related: tuple = ()

    @classmethod
    def optimize(cls, queryset):
        if cls.select_related:
            queryset = queryset.select_related(*cls.select_related)
        if cls.prefetch_related:
            queryset = queryset.prefetch_related(*cls.prefetch_related)
        return queryset


class OutputSerializer(EagerLoading, serializers.Serializer):
    """Base of plain output serializers."""


class OutputModelSerializer(EagerLoading, serializers.ModelSerializer):
    """Base of model-backed output serializers (declare every field explicitly in Meta.fields)."""

    def get_fields(self):
        # DRF drops allow_blank from read-only fields; keep it so the schema admits the "" a blank
        # model field (gender, preferred_province …) really holds.
        fields = super().get_fields()
        model = getattr(self.Meta, "model", None)
        for name, field in fields.items():
            source = field.source if field.source and field.source != "*" else name
            try:
                model_field = model._meta.get_field(source)
            except Exception:  # not a plain model field
                continue
            if getattr(model_field, "blank", False) and isinstance(field, serializers.CharField | serializers.ChoiceField):
                field.allow_blank = True
        return fields

    def create(self, validated_data):  # pragma: no cover - guard
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover - guard
        raise NotImplementedError



# What a VisibleReferenceField reads for a row the caller may not see; the input serializer answers 404 for it.
HIDDEN = object()


@extend_schema_field(OpenApiTypes.INT)
class VisibleReferenceField(serializers.PrimaryKeyRelatedField):
    """An input reference to a row by its id, looked up through `selector(user=<the caller>)`: the selector that scopes
    the row's own list and URL, and GraphQL's input references (jianglian.graphql.mutations.Load). A row the caller
    may not see answers 404 (StrictInputSerializer, once the other fields are valid), as its own URL does and as
    GraphQL's NOT_FOUND; a value that is no integer is a 400 on the field."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(user=getattr(request, "user", None))

    def to_internal_value(self, data):
        text = str(data).strip()
        if isinstance(data, bool) or not isinstance(data, int | str) or _INTEGER.fullmatch(text) is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = db_integer(text)
        if pk is None:
            return HIDDEN  # an integer no row can have (negative, beyond the column)
        try:
            return self.get_queryset().get(pk=pk)
        except ObjectDoesNotExist:
            return HIDDEN
