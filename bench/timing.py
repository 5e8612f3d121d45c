"""The timing loop every benchmark here shares: run each named call, record wall and CPU time, print p50/p95.

On a shared machine wall time includes waiting for a core; CPU time is the process's own work, so both are
printed, with the load average.
"""
import os
import time
from pathlib import Path


def open_embedded_store(store: Path, **environ) -> None:
    """Point Django at a throw-away store (SQLite file + tantivy index under `store`) on the embedded defaults,
    as production runs them (DEBUG off: Django's debug cursor would quote every parameter of every query),
    Celery in-process; `environ` adds or overrides variables. Then django.setup()."""
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{store / 'bench.sqlite3'}", "SEARCH_INDEX_DIR": str(store / "index"),
        "SEARCH_BACKEND": "embedded", "JIANGLIAN_VAR_DIR": str(store), "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "jianglian.settings", "DJANGO_DEBUG": "0", "LOG_LEVEL": "WARNING",
        **environ,
    })
    import django

    django.setup()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * p / 100) - 1))]


def time_calls(calls) -> tuple[list[float], list[float], list]:
    """(wall ms, CPU ms, results) of each call in turn."""
    wall, cpu, results = [], [], []
    for call in calls:
        t0, c0 = time.perf_counter(), time.process_time()
        results.append(call())
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu, results


def time_rounds(calls, rounds: int) -> tuple[tuple[list[float], list[float]], tuple[list[float], list[float]], list]:
    """Each call timed `rounds` times (round after round): ((wall, CPU) of the first round, (wall, CPU) best of
    the rounds per call, results of the first round). On a shared machine another process's burst lands on a
    few calls of one round; the best of three is the call's own cost, the first round what one pass met."""
    first_wall, first_cpu, results = time_calls(calls)
    best_wall, best_cpu = list(first_wall), list(first_cpu)
    for _ in range(rounds - 1):
        wall, cpu, _ = time_calls(calls)
        best_wall = [min(a, b) for a, b in zip(best_wall, wall)]
        best_cpu = [min(a, b) for a, b in zip(best_cpu, cpu)]
    return (first_wall, first_cpu), (best_wall, best_cpu), results


def summary(wall, cpu) -> str:
    return (f"wall p50 {pct(wall, 50):.1f} ms, p95 {pct(wall, 95):.1f} ms; "
            f"CPU p50 {pct(cpu, 50):.1f} ms, p95 {pct(cpu, 95):.1f} ms")


def machine_load() -> str:
    return f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
