"""Work that must happen once per transaction, after it commits."""
from collections.abc import Callable, Iterable

from django.db import transaction


class _Collected:
    def __init__(self, name: str, send: Callable[[set], None]):
        self.name = name
        self.send = send
        self.items: set = set()

    def __call__(self):
        if self.items:  # empty when merged into another collection of the same name
            self.send(self.items)


def on_commit_collect(name: str, items: Iterable, send: Callable[[set], None], using: str | None = None) -> None:
    """Collect `items` under `name` for the current transaction and call `send(all_items)` once at commit.

    Ten saves of one row in one transaction queue one task, not ten. Outside a transaction `send`
    runs at once. A rolled-back transaction sends nothing, and neither does a rolled-back savepoint:
    items are kept apart by the savepoints that can still roll them back, so Django discards them with
    the savepoint. Once a savepoint is released its items join the enclosing level's, so services that
    each open their own savepoint inside one transaction (get_or_create does too) still send once.
    """
    items = set(items)
    if not items:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        send(items)
        return
    active = frozenset(_savepoints(connection.savepoint_ids))
    keepers: dict[frozenset, _Collected] = {}
    for sids, func, _ in connection.run_on_commit:
        if not (isinstance(func, _Collected) and func.name == name):
            continue
        # Only savepoints still open can roll a collection back: those it shares with the current level.
        reach = frozenset(_savepoints(sids)) & active
        keeper = keepers.setdefault(reach, func)
        if keeper is not func:  # same fate from now on: one send
            keeper.items |= func.items
            func.items = set()
    collected = keepers.get(active)
    if collected is None:
        collected = _Collected(name, send)
        transaction.on_commit(collected, using=using, robust=True)
    collected.items |= items


def _savepoints(ids) -> set:
    # atomic(savepoint=False) blocks stand in the list as None: they cannot roll back on their own.
    return {sid for sid in ids if sid is not None}
