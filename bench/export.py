"""Exporting the 劳模工匠库: 100,000 experts as CSV and as .xlsx through REST, with the memory it takes.

    python bench/export.py [--rows 100000] [--keep DIR]

Builds a throw-away SQLite store with `--rows` experts (bulk-created: names, employers, phones, two skills and
an honour each), then downloads GET /api/v1/experts/export/?format=csv and ?format=xlsx as the secretariat
through Django's test client, reading the streamed body chunk by chunk, and prints one JSON object with, per
format: seconds, rows/s, seconds to the first byte, bytes, chunks, the growth of the process's resident memory
while the export ran (sampled every 20 ms) and, in a second run under tracemalloc (slower), the peak of Python
memory allocated — both stay flat, far below the size of the file, when the export streams.
"""
import argparse
import json
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import open_embedded_store  # noqa: E402


class RssSampler:
    """The growth of this process's resident memory above its level at start, sampled every 20 ms (Linux)."""

    def __init__(self):
        self.base = self.peak = self._rss()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _run(self):
        while not self._done.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return max(self.peak, self._rss()) - self.base


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", help="directory for the store (kept afterwards)")
    args = parser.parse_args()

    store = Path(args.keep or tempfile.mkdtemp(prefix="jianglian-bench-export-"))
    store.mkdir(parents=True, exist_ok=True)
    (store / "bench.sqlite3").unlink(missing_ok=True)
    open_embedded_store(store, DJANGO_ALLOWED_HOSTS="testserver")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from experts.models import Expert, ExpertHonour, Skill
    from experts.taxonomy.loader import load_taxonomy

    call_command("migrate", verbosity=0)
    load_taxonomy()
    skills = list(Skill.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    batch = 5000
    for start in range(0, args.rows, batch):
        rows = Expert.objects.bulk_create([
            Expert(name=f"专家{n:06d}", employer=f"化工有限公司{n % 977}", province="sichuan", city="泸州",
                   phone=f"139{n:08d}", email=f"e{n}@example.com", bio="长期从事精馏塔节能改造，主持热泵精馏项目。",
                   skill_tags=["自填技能"], capacity=2)
            for n in range(start, min(start + batch, args.rows))])
        through = Expert.skills.through
        through.objects.bulk_create([through(expert_id=e.pk, skill_id=skills[(e.pk + k) % len(skills)])
                                     for e in rows for k in (0, 7)])
        ExpertHonour.objects.bulk_create([ExpertHonour(expert_id=e.pk, honour="great_craftsman", year=2020)
                                          for e in rows])
    built = time.perf_counter() - started
    user = get_user_model().objects.create_superuser("bench", password="bench-pass-123")
    client = Client()
    client.force_login(user)

    figures = {"rows": args.rows, "store_build_s": round(built, 1)}
    for fmt in ("csv", "xlsx"):
        url = f"/api/v1/experts/export/?format={fmt}"
        client.get(url)  # warm: the first request loads what every request needs
        sampler = RssSampler()
        t0 = time.perf_counter()
        response = client.get(url)
        first_byte, size, chunks = None, 0, 0
        for chunk in response.streaming_content:
            first_byte = first_byte if first_byte is not None else time.perf_counter() - t0
            size += len(chunk)
            chunks += 1
        seconds = time.perf_counter() - t0
        rss_growth = sampler.stop()
        tracemalloc.start()
        traced = client.get(url)
        for _chunk in traced.streaming_content:
            pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures[fmt] = {"status": response.status_code, "seconds": round(seconds, 1),
                        "rows_per_s": round(args.rows / seconds), "first_byte_s": round(first_byte, 3),
                        "mb": round(size / 2**20, 1), "chunks": chunks,
                        "rss_growth_mb": round(rss_growth / 2**20, 1), "peak_python_mb": round(peak / 2**20, 1)}
    figures["load_average"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
