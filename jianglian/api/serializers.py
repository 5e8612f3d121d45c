"""Serializer building blocks shared by every app's `api/serializers.py`."""
from django.db import models
from rest_framework import serializers

from jianglian.filters import datetime_out_of_range

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

