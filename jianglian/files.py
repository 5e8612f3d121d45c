"""Files a write stores before its rows commit (event photos, scans of paper agreements): never left behind by a
write that fails.

A file has to be on disk before the row naming it commits (after the commit, a crash would leave a row without its
file), so a failed write could leave the file alone. Two guards, each with its own reach:
- `removed_unless_kept()`, around the storing service's work: a file recorded in it is deleted when an exception
  leaves the block — the service's own rows roll back with it (a database error on the second photo, a refusal
  after the upload).
- `orphans_sweep()`, run by beat for every folder an app registered (`register_file_folder`; the task
  jianglian.sweep_orphan_files): files under it that no row names, older than a grace period (their transaction
  long over), are deleted — what a caller's enclosing transaction rolled back after the service returned, or a
  process killed between the file and the commit, left behind.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.storage import Storage
from django.utils import timezone

logger = logging.getLogger(__name__)

ORPHAN_GRACE = timedelta(hours=1)


def _delete(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # noqa: BLE001 — the sweep removes what could not be removed now
        logger.exception("could not remove %s after a failed write; the orphan sweep will", name)


@contextmanager
def removed_unless_kept():
    """`with removed_unless_kept() as stored: …; stored(storage, name)` — every file recorded by `stored` is deleted
    if an exception leaves the block (the rows that would have named it are rolled back)."""
    written: list[tuple[Storage, str]] = []
    try:
        yield lambda storage, name: written.append((storage, name))
    except BaseException:
        for storage, name in written:
            _delete(storage, name)
        raise


def _files_under(storage: Storage, folder: str) -> Iterable[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def orphans_sweep(*, storage: Storage, folder: str, named: Callable[[], Iterable[str]],
                  grace: timedelta = ORPHAN_GRACE, now=None) -> list[str]:
    """Delete the files under `folder` of `storage` that no row names (`named()`: the names the rows hold, read
    after the listing, so a row committed meanwhile keeps its file) and that are older than `grace` (a write still
    in its transaction keeps its file). Returns the names deleted."""
    cutoff = (now or timezone.now()) - grace
    candidates = [name for name in _files_under(storage, folder) if storage.get_modified_time(name) < cutoff]
    if not candidates:
        return []
    kept = set(named())
    removed = [name for name in candidates if name not in kept]
    for name in removed:
        _delete(storage, name)
    if removed:
        logger.warning("removed %d files under %s that no row names (writes rolled back)", len(removed), folder)
    return removed


@dataclass(frozen=True)
class FileFolder:
    """A folder of a storage whose files rows name (`named`: every name they hold)."""

    storage: Callable[[], Storage]
    folder: str
    named: Callable[[], Iterable[str]]


_folders: dict[str, FileFolder] = {}


def register_file_folder(label: str, *, storage: Callable[[], Storage], folder: str,
                         named: Callable[[], Iterable[str]]) -> None:
    """An app declares a folder whose files only its rows name (in its AppConfig.ready)."""
    _folders[label] = FileFolder(storage=storage, folder=folder, named=named)


def orphan_files_sweep(*, now=None) -> dict[str, int]:
    """Beat: `orphans_sweep` over every registered folder. Returns {label: files deleted}."""
    return {label: len(orphans_sweep(storage=f.storage(), folder=f.folder, named=f.named, now=now))
            for label, f in sorted(_folders.items())}
