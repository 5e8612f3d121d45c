"""Index definitions: which rows of a model are searchable and what document each row becomes.

An app declares its indexes in `<app>/search_indexes.py` by subclassing
`IndexDefinition` and calling `register(...)` (and the words its documents
hold that the segmenter must keep whole, with `search.text.register_words`);
`search.apps` imports those modules at start-up, so the engine imports no
app. Backends only see definitions and plain documents:

    {"id": 7, "name": "王师傅", "skills": "精馏 节能", "province": ["sichuan"], ...}

Searched fields hold raw text (the backends segment it with `search.text`);
filter fields hold lists of exact values. Nothing else reaches an index, so a
field that is not declared here (an expert's phone, say) can never be found.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from django.db.models import Model, QuerySet

from search.text import dictionary_version


@dataclass(frozen=True)
class SearchField:
    """A full-text field; `boost` multiplies its BM25 score."""

    name: str
    boost: float = 1.0


@dataclass(frozen=True)
class FilterField:
    """An exact-value field for filters; `facet` adds it to facet counts."""

    name: str
    facet: bool = True


@dataclass(frozen=True)
class Dependency:
    """A change to a row of `model` changes the documents whose ids `affected_ids(row)` returns.

    `previous_key`: a foreign key of `model` to this index's model (a member's studio). A save that changes
    it affects the document it pointed to before too (the studio a member left), read before the save.
    """

    model: type[Model]
    affected_ids: Callable[[Model], Iterable[int]]
    previous_key: str | None = None


@dataclass(frozen=True)
class M2MDependency:
    """A change of the many-to-many field `field` of `model` rows (a member's skills) changes the documents
    whose ids `affected_ids(ids of those rows)` returns."""

    model: type[Model]
    field: str
    affected_ids: Callable[[list[int]], Iterable[int]]


class IndexDefinition:
    name: str = ""
    model: type[Model]
    search_fields: tuple[SearchField, ...] = ()
    filter_fields: tuple[FilterField, ...] = ()
    # Many-to-many fields of `model` whose changes alter the document.
    m2m_fields: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        """The searchable rows, with what `document` reads prefetched."""
        return self.model._default_manager.all()

    def visible_rows(self, user) -> QuerySet:
        """The rows `user` may see, the app's list selector's rule, with what a page of hits shows loaded:
        `search.selectors.search_visible` reads each page of hits through it, so a hit the index still
        holds but `user` may not see (or a row deleted since) is left out."""
        raise NotImplementedError(f"{type(self).__name__} does not say which rows a user may see")

    def document(self, obj) -> dict:
        raise NotImplementedError

    def dependencies(self) -> list[Dependency | M2MDependency]:
        """Other models whose changes alter this index's documents."""
        return []

    # --- derived -------------------------------------------------------------

    @property
    def search_field_names(self) -> list[str]:
        return [f.name for f in self.search_fields]

    @property
    def filter_field_names(self) -> list[str]:
        return [f.name for f in self.filter_fields]

    @property
    def facet_field_names(self) -> list[str]:
        return [f.name for f in self.filter_fields if f.facet]

    def documents(self, queryset: QuerySet) -> list[dict]:
        """The documents of the rows of `queryset` (a filtered `get_queryset()`).

        Override to build them in bulk (values() queries) when model instances are too slow.
        """
        return [self.document(obj) for obj in queryset]

    def documents_for_ids(self, ids: Iterable[int]) -> dict[int, dict]:
        """The documents of those of `ids` that exist and are searchable now."""
        documents = self.documents(self.get_queryset().filter(pk__in=list(ids)))
        return {doc["id"]: doc for doc in documents}

    def iter_documents(self, chunk_size: int = 1000) -> Iterator[dict]:
        """Every searchable row's document, read in primary-key chunks."""
        last_pk = 0
        while True:
            ids = list(self.get_queryset().filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:chunk_size])
            if not ids:
                return
            # A primary-key range, not pk__in: Django prepares every value of an IN list, per query.
            chunk = self.get_queryset().filter(pk__gt=last_pk, pk__lte=ids[-1])
            yield from sorted(self.documents(chunk), key=lambda doc: doc["id"])
            last_pk = ids[-1]

    def count(self) -> int:
        return self.get_queryset().count()

    def __repr__(self):
        return f"<IndexDefinition {self.name}>"


def document_fingerprint(document: dict) -> int:
    """A 63-bit hash of a document's content and of the words it was cut with: reconcile compares
    it with the indexed one, so a document cut before the skill taxonomy changed is stale."""
    raw = (dictionary_version() + json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big") >> 1


def values(*items) -> list[str]:
    """Filter values as a sorted list of non-empty strings."""
    if len(items) == 1:  # the common case, on every document of a rebuild
        return [] if items[0] in (None, "") else [str(items[0])]
    return sorted({str(item) for item in items if item not in (None, "")})


def joined(*texts) -> str:
    return "\n".join(t for t in texts if t)


_registry: dict[str, IndexDefinition] = {}


def register(definition: IndexDefinition) -> IndexDefinition:
    _registry[definition.name] = definition
    return definition


def get_definition(name: str) -> IndexDefinition:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no search index named {name!r}; known: {sorted(_registry)}") from None


def definitions() -> list[IndexDefinition]:
    return list(_registry.values())


def definitions_for_model(model) -> list[IndexDefinition]:
    return [d for d in _registry.values() if d.model is model]
