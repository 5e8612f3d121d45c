"""The filters every list's one FilterSet is built from (`<app>/filters.py`: REST views use the FilterSet as it is, GraphQL
connections through jianglian.graphql.filters), the bounds of what a database column holds (`db_integer`,
`datetime_out_of_range`) that every API's input is checked against, and a text search inside JSON lists that reads
alike on every database (`json_icontains`)."""
import datetime as dt
import json
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from graphene_django.filter import GlobalIDFilter as GrapheneGlobalIDFilter
from graphene_django.forms import GlobalIDFormField
from graphql_relay import from_global_id

# The largest value a database integer column holds (PostgreSQL bigint; SQLite raises OverflowError beyond it).
MAX_DB_INTEGER = 2**63 - 1

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def db_integer(text) -> int | None:
    """The non-negative integer `text` spells in ASCII digits, if a database column can hold it; else None.

    Not `str.isdigit()`: it is true for '²' or '٣', which `int()` refuses or reads as another number.
    """
    if not isinstance(text, str) or _ASCII_DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number <= MAX_DB_INTEGER else None


def datetime_out_of_range(value: dt.datetime) -> bool:
    """True when `value` (naive: in the current time zone) falls before year 1 or after year 9999 in UTC, where
    the database keeps it, or in the current time zone, where answers and pages show it. DRF, Django and the
    drivers raise OverflowError on it (naive 0001-01-01T00:00 in Asia/Shanghai), or PostgreSQL stores a row
    no read can load again (9999-12-31T23:00:00-14:00)."""
    try:
        aware = timezone.make_aware(value) if timezone.is_naive(value) else value
        aware.astimezone(dt.timezone.utc)
        timezone.localtime(aware)
    except (OverflowError, ValueError):
        return True
    return False


class IntegerFilter(django_filters.Filter):
    """An integer (an id, a batch number): anything else, or a number no row can hold, is a 400 on that field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DB_INTEGER)
        super().__init__(*args, **kwargs)


class ReferenceFilter(IntegerFilter):
    """A row of `type_name` (a GraphQL type name such as "Studio"), by its id. REST reads the integer id (anything
    else is a 400 on the field); a GraphQL connection reads the row's global id (jianglian.graphql.filters).
    `unknown_matches_nothing`: there, an id that names no row of that type finds nothing instead of being refused."""

    def __init__(self, *args, type_name: str, unknown_matches_nothing: bool = False, **kwargs):
        self.type_name = type_name
        self.unknown_matches_nothing = unknown_matches_nothing
        super().__init__(*args, **kwargs)


class StorableDateTimeField(IsoDateTimeField):
    """An ISO 8601 datetime a database can store and show: beyond years 1–9999 in UTC or in the current time zone
    (see `datetime_out_of_range`) is invalid, not an OverflowError (a naive 0001-01-01T00:00 in Asia/Shanghai)."""

    default_error_messages = {"overflow": _("日期时间超出范围 / Datetime value out of range.")}

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["overflow"], code="overflow") from None
        if parsed is not None and datetime_out_of_range(parsed):
            raise ValidationError(self.error_messages["overflow"], code="overflow")
        return parsed


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 datetime a database can store (StorableDateTimeField)."""

    field_class = StorableDateTimeField


class StrictNullBooleanField(forms.NullBooleanField):
    """true / false (also True, 1, 0 …); anything else is invalid — not "no filter", which answered every row
    to `?accepting_pairings=maybe`."""

    widget = forms.TextInput  # the raw text: NullBooleanSelect turns what it does not know into "unknown"
    default_error_messages = {"invalid": _("应为 true 或 false / Must be true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        answer = super().to_python(value)
        if answer is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return answer

    def validate(self, value):
        return None


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither (StrictNullBooleanField): a 400 on the field, BAD_USER_INPUT."""

    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class RowGlobalIDFormField(GlobalIDFormField):
    """A Relay global id of one type whose pk is an integer a row can have; cleans to that pk."""

    default_error_messages = {"invalid": _("无效的 ID / Invalid ID specified.")}

    def __init__(self, *args, type_name=None, **kwargs):
        self.type_name = type_name
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)  # malformed (not base64, no type or id): invalid
        if value is None:
            return None
        type_name, pk = from_global_id(value)
        pk = db_integer(pk)
        if pk is None or (self.type_name is not None and type_name != self.type_name):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return pk


class GlobalIDFilter(GrapheneGlobalIDFilter):
    """GraphQL filter by a Relay global id (of `type_name`, when given): an id of another type or with a pk no row
    can have ('Studio:abc', 'Studio:²', 'Studio:18446744073709551616') is BAD_USER_INPUT on that field, never a
    query that fails inside the database. graphene-django's own filter only checks that the id decodes."""

    field_class = RowGlobalIDFormField

    def __init__(self, *args, type_name=None, **kwargs):
        if type_name is not None:
            kwargs["type_name"] = type_name
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):  # `value` is already the pk (the form field decoded it)
        return django_filters.Filter.filter(self, qs, value)


def json_icontains(field: str, text: str) -> Q:
    """Rows whose JSON `field` (a list of words: synonyms, tags) holds `text`, case-insensitively, on every
    database. PostgreSQL reads jsonb back as the characters themselves; SQLite keeps the JSON text Django wrote,
    which spells every non-ASCII character as a \\uXXXX escape (精馏 is stored as \\u7cbe\\u998f), so `text` is
    looked for in that spelling too."""
    condition = Q(**{f"{field}__icontains": text})
    escaped = json.dumps(text)[1:-1]
    if escaped != text:
        condition |= Q(**{f"{field}__icontains": escaped})
    return condition
