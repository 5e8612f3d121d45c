"""Filters shared by the REST and GraphQL FilterSets."""
import django_filters
from django import forms

# The largest value a database integer column holds (PostgreSQL bigint; SQLite raises OverflowError beyond it).
MAX_DB_INTEGER = 2**63 - 1


class IntegerFilter(django_filters.Filter):
    """An integer (an id, a batch number): anything else, or a number no row can hold, is a 400 on that field."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_DB_INTEGER)
        super().__init__(*args, **kwargs)
