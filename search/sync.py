"""Keeping the indexes equal to the database.

- Every save, delete and many-to-many change of an indexed model, and of a
  model whose rows appear in its documents (a studio's name in its members'
  documents, say), queues the affected ids with `queue_update`. The ids of one
  transaction are sent once, after it commits, to the Celery task
  `search.tasks.update_documents`; a rolled-back transaction sends nothing.
- The task reads the rows as they are now (`apply_update`): a row that exists
  and is searchable is indexed, any other id is deleted. That makes it
  idempotent, and an old task can never write an old value.
- Writes that bypass signals (`QuerySet.update`, `bulk_create`, raw SQL) are
  repaired by `reconcile`, which Celery beat runs periodically, or by calling
  `queue_update` after them.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import router
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from jianglian.api import anonymous_cache
from jianglian.transactions import on_commit_collect
from search.backends import get_backend
from search.errors import IndexLost
from search.index import Dependency, IndexDefinition, M2MDependency, definitions, document_fingerprint, get_definition

logger = logging.getLogger(__name__)

TASK_CHUNK = 500


# --- queueing ------------------------------------------------------------------


def queue_update(index_name: str, ids: Iterable[int], using: str | None = None) -> None:
    """Reindex `ids` of `index_name` after the current transaction commits (now outside one)."""
    ids = {int(pk) for pk in ids if pk is not None}
    on_commit_collect(f"search:{index_name}", ids, lambda collected: dispatch(index_name, collected), using=using)


def dispatch(index_name: str, ids: Iterable[int]) -> None:
    from search.tasks import update_documents

    ids = sorted(ids)
    for start in range(0, len(ids), TASK_CHUNK):
        update_documents.delay(index_name, ids[start:start + TASK_CHUNK])


# --- applying --------------------------------------------------------------------


def target_backends():
    """The backends every write goes to: the configured one and the embedded fallback it keeps."""
    backend = get_backend()
    fallback = getattr(backend, "fallback", None)
    return [fallback, backend] if fallback is not None else [backend]


def apply_update(index_name: str, ids: Iterable[int], backends=None) -> None:
    """Make the documents of `ids` equal to the rows as they are now."""
    definition = get_definition(index_name)
    ids = {int(pk) for pk in ids}
    for backend in backends or target_backends():
        with backend.write_lock(definition):
            version = time.time_ns()
            documents = definition.documents_for_ids(ids)
            backend.index_documents(definition, list(documents.values()), version=version)
            backend.delete_documents(definition, ids - documents.keys(), version=version)
    anonymous_cache.data_changed()  # anonymous searches cached before this update are not used again


@dataclass
class Drift:
    index: str
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    extra: set[int] = field(default_factory=set)

    @property
    def ids(self) -> set[int]:
        return self.missing | self.stale | self.extra

    def __bool__(self):
        return bool(self.ids)

    def summary(self) -> dict:
        return {"index": self.index, "missing": len(self.missing), "stale": len(self.stale),
                "extra": len(self.extra)}


def find_drift(definition: IndexDefinition, backend) -> Drift:
    """Rows missing from the index, documents that differ from their row, documents without a row."""
    expected = {doc["id"]: document_fingerprint(doc) for doc in definition.iter_documents()}
    indexed = backend.fingerprints(definition)
    return Drift(
        index=definition.name,
        missing=expected.keys() - indexed.keys(),
        stale={pk for pk, fp in expected.items() if pk in indexed and indexed[pk] != fp},
        extra=indexed.keys() - expected.keys(),
    )


def reconcile(index_names: Iterable[str] | None = None, backends=None) -> list[Drift]:
    """Repair every drift between the database and the indexes; returns what was found.

    A lost index (IndexLost: its `current` dangles or is gone) is rebuilt from the database: recovery without
    a human, and never an empty index in its place."""
    found = []
    for definition in _selected(index_names):
        for backend in backends or target_backends():
            try:
                drift = find_drift(definition, backend)
            except IndexLost:
                logger.error("search index %s on %s is lost: rebuilding it from the database", definition.name,
                             backend.name)
                restored: set[int] = set()

                def documents(definition=definition, restored=restored):
                    for document in definition.iter_documents():
                        restored.add(document["id"])
                        yield document

                backend.rebuild(definition, documents())
                found.append(Drift(index=definition.name, missing=restored))  # every document was missing
                continue
            if drift:
                logger.warning("search index %s on %s drifted: %s", definition.name, backend.name, drift.summary())
                ids = sorted(drift.ids)
                for start in range(0, len(ids), TASK_CHUNK):
                    apply_update(definition.name, ids[start:start + TASK_CHUNK], backends=[backend])
            found.append(drift)
    return found


def rebuild(index_names: Iterable[str] | None = None, backends=None, progress_factory=None) -> dict[str, int]:
    """Rebuild each index from the database; searches keep the old one until the new one is complete."""
    counts = {}
    for definition in _selected(index_names):
        for backend in backends or target_backends():
            progress = progress_factory(definition, backend) if progress_factory else None
            counts[definition.name] = backend.rebuild(
                definition, definition.iter_documents(), progress=progress.update if progress else None
            )
            if progress:
                progress.close()
            if not backend.exclusive_writes:
                reconcile([definition.name], backends=[backend])
    anonymous_cache.data_changed()
    return counts


def _selected(index_names) -> list[IndexDefinition]:
    return [get_definition(n) for n in index_names] if index_names else definitions()


# --- signals ---------------------------------------------------------------------

_connected = False


def connect_signals() -> None:
    global _connected
    if _connected:
        return
    _connected = True
    for definition in definitions():
        _connect_definition(definition)


def _connect_definition(definition: IndexDefinition) -> None:
    name = definition.name

    def on_save(sender, instance, raw=False, using=None, **kwargs):
        queue_update(name, [instance.pk], using=using)

    def on_delete(sender, instance, using=None, **kwargs):
        queue_update(name, [instance.pk], using=using)

    post_save.connect(on_save, sender=definition.model, weak=False, dispatch_uid=f"search-{name}-save")
    post_delete.connect(on_delete, sender=definition.model, weak=False, dispatch_uid=f"search-{name}-delete")

    for field_name in definition.m2m_fields:
        through = getattr(definition.model, field_name).through
        m2m_changed.connect(_m2m_receiver(definition, field_name), sender=through, weak=False,
                            dispatch_uid=f"search-{name}-m2m-{field_name}")

    for number, dependency in enumerate(definition.dependencies()):
        uid = f"search-{name}-dependency-{number}"
        if isinstance(dependency, M2MDependency):
            through = getattr(dependency.model, dependency.field).through
            m2m_changed.connect(_m2m_dependency_receiver(name, dependency), sender=through, weak=False,
                                dispatch_uid=f"{uid}-m2m")
            continue
        receiver = _dependency_receiver(name, dependency)
        post_save.connect(receiver, sender=dependency.model, weak=False, dispatch_uid=f"{uid}-save")
        # Before the delete: afterwards the rows that pointed at it are no longer found.
        pre_delete.connect(receiver, sender=dependency.model, weak=False, dispatch_uid=f"{uid}-delete")
        if dependency.previous_key:
            pre_save.connect(_previous_key_receiver(name, dependency), sender=dependency.model, weak=False,
                             dispatch_uid=f"{uid}-previous")


def _m2m_receiver(definition: IndexDefinition, field_name: str):
    def receiver(sender, instance, action, reverse, pk_set, using=None, **kwargs):
        if not reverse:
            if action in ("post_add", "post_remove", "post_clear"):
                queue_update(definition.name, [instance.pk], using=using)
        elif action in ("post_add", "post_remove"):
            queue_update(definition.name, pk_set or (), using=using)
        elif action == "pre_clear":
            related = definition.model._default_manager.using(using or router.db_for_write(definition.model))
            queue_update(definition.name, related.filter(**{field_name: instance}).values_list("pk", flat=True),
                         using=using)

    return receiver


def _previous_key_receiver(index_name: str, dependency: Dependency):
    """Before a save that may change the key: note the document the stored row points to, if the key moves
    away; the save's post_save receiver queues it with the others (outside a transaction a task queued now
    would run before the row is written)."""
    field = dependency.model._meta.get_field(dependency.previous_key)

    def receiver(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
        if raw or instance.pk is None or (update_fields is not None and field.name not in update_fields):
            return
        stored = sender._default_manager.using(using).filter(pk=instance.pk).values_list(field.attname, flat=True)
        previous = next(iter(stored), None)
        if previous is not None and previous != getattr(instance, field.attname):
            instance.__dict__.setdefault(_PREVIOUS, {})[index_name] = previous

    return receiver


_PREVIOUS = "_search_previous_documents"


def _m2m_dependency_receiver(index_name: str, dependency: M2MDependency):
    def receiver(sender, instance, action, reverse, pk_set, using=None, **kwargs):
        if not reverse:  # expert.skills.add(...): the rows are the instance
            rows = [instance.pk] if action in ("post_add", "post_remove", "post_clear") else []
        elif action in ("post_add", "post_remove"):  # skill.experts.add(...): the rows are pk_set
            rows = list(pk_set or ())
        elif action == "pre_clear":  # skill.experts.clear(): the rows, before they are gone
            manager = dependency.model._default_manager.using(using or router.db_for_write(dependency.model))
            rows = list(manager.filter(**{dependency.field: instance}).values_list("pk", flat=True))
        else:
            rows = []
        if rows:
            queue_update(index_name, list(dependency.affected_ids(rows)), using=using)

    return receiver


def _dependency_receiver(index_name: str, dependency):
    def receiver(sender, instance, raw=False, using=None, **kwargs):
        if raw or instance.pk is None:
            return
        previous = instance.__dict__.get(_PREVIOUS, {}).pop(index_name, None)
        queue_update(index_name, [*dependency.affected_ids(instance), previous], using=using)

    return receiver
