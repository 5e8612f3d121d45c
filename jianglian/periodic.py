"""What beat runs in production, run in-process without a broker: `manage.py run_periodic` (started by
`./dev serve`) calls the same Celery tasks on the same schedule (settings.CELERY_BEAT_SCHEDULE: proposal expiry
and reminders, the notification flush, the index reconcile, the ranking catch-up …), so the demo behaves like
production without Redis.

Each entry's task runs in this process (`Task.apply`, as a worker would run it), one entry at a time; a failing
task is logged and tried again at its next turn. Every task is idempotent, so running one more often (or once at
start) changes nothing but timing.
"""
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    name: str
    task: str
    every: float  # seconds
    next_at: float = 0.0
    runs: int = 0
    failures: int = 0
    last_result: object = field(default=None, repr=False)


def entries(schedule: dict | None = None, *, now: float = 0.0, start_at_once: bool = True) -> list[Entry]:
    """The beat schedule as entries (a schedule given as a number of seconds or a timedelta)."""
    schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
    result = []
    for name, spec in sorted(schedule.items()):
        every = spec["schedule"]
        every = every.total_seconds() if hasattr(every, "total_seconds") else float(every)
        result.append(Entry(name=name, task=spec["task"], every=every, next_at=now if start_at_once else now + every))
    return result


def run_task(task_name: str):
    """Run one registered Celery task here and now (eagerly), returning its result; raises what it raised."""
    from jianglian.celery import app

    app.loader.import_default_modules()
    return app.tasks[task_name].apply(throw=True).get(disable_sync_subtasks=False)


def run_due(schedule: list[Entry], now: float, run: Callable[[str], object] = run_task) -> list[Entry]:
    """Run every entry due at `now`; each is then due `every` seconds later. Returns the entries that ran."""
    ran = []
    for entry in schedule:
        if entry.next_at > now:
            continue
        entry.next_at = now + entry.every
        try:
            entry.last_result = run(entry.task)
        except Exception:  # noqa: BLE001 — one failing job never stops the others; it runs again at its next turn
            entry.failures += 1
            logger.exception("periodic task %s (%s) failed", entry.name, entry.task)
        else:
            logger.info("periodic task %s ran: %s", entry.name, entry.last_result)
        entry.runs += 1
        ran.append(entry)
    return ran


def run_forever(schedule: list[Entry], *, clock=time.monotonic, sleep=time.sleep, run=run_task,
                should_stop: Callable[[], bool] = lambda: False, tick: float = 1.0) -> None:
    """Loop: run what is due, sleep until the next entry is due (at most `tick` seconds at a time)."""
    while not should_stop():
        now = clock()
        run_due(schedule, now, run)
        wait = min((entry.next_at for entry in schedule), default=now + tick) - clock()
        sleep(max(0.05, min(wait, tick)))
