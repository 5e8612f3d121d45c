"""Work that must happen once per transaction, after it commits.

Every after-commit step is isolated: the write it follows is stored, so its failure (the broker unreachable, the
search index unreadable, a task raising in eager mode) is logged and left to its own recovery — the notification
outbox's flush, the search reconcile, the ranking catch-up — and never reaches the client, who gets the success
the write earned. The other steps of the same commit still run.
"""
import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def run_isolated(name: str, step: Callable[[], object]) -> None:
    """Run one after-commit step; a failure is logged (with its traceback) and swallowed."""
    try:
        step()
    except Exception:  # noqa: BLE001 — the write is stored; the step's own recovery repairs what it missed
        logger.exception("after-commit step %s failed; left to its recovery", name)


class _Isolated:
    """An after-commit hook that cannot fail the request (Django's robust hooks also need a __qualname__)."""

    def __init__(self, name: str, step: Callable[[], object]):
        self.name = self.__qualname__ = name
        self.step = step

    def __call__(self):
        run_isolated(self.name, self.step)


def after_commit(name: str, step: Callable[[], object], using: str | None = None) -> None:
    """Run `step` after the current transaction commits (at once outside one), isolated (run_isolated)."""
    transaction.on_commit(_Isolated(name, step), using=using, robust=True)


class _Collected:
    def __init__(self, name: str, send: Callable[[set], None]):
        self.name = self.__qualname__ = name
        self.send = send
        self.items: set = set()

    def __call__(self):
        if self.items:  # empty when merged into another collection of the same name
            items = self.items
            run_isolated(self.name, lambda: self.send(items))


def on_commit_collect(name: str, items: Iterable, send: Callable[[set], None], using: str | None = None) -> None:
    """Collect `items` under `name` for the current transaction and call `send(all_items)` once at commit.

    Ten saves of one row in one transaction queue one task, not ten. Outside a transaction `send`
    runs at once. Either way `send` is isolated (run_isolated): its failure is logged, never raised. A rolled-back transaction sends nothing, and neither does a rolled-back savepoint:
    items are kept apart by the savepoints that can still roll them back, so Django discards them with
    the savepoint. Once a savepoint is released its items join the enclosing level's, so services that
    each open their own savepoint inside one transaction (get_or_create does too) still send once.
    """
    items = set(items)
    if not items:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        run_isolated(name, lambda: send(items))
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
