"""manage.py evaluate_matching --data DIR [--data DIR2 …] [--json] — ranking quality of the real engine on judged
corpora, each beside plain BM25 over the same index (e.g. the synthetic ../shared/matching-dev and the real solved
cases of ../shared/matching-realworld-dev in one run).

The corpus is loaded into a throw-away store (a SQLite file and a search index in a temporary
directory, tasks in-process): the command re-runs itself in a subprocess whose settings point
there, so the user's database and index are never touched.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

AVAILABILITY_NOTE = (
    "可用性信号已关闭：评测只衡量匹配度（标注不考虑专家负荷） / "
    "availability signal switched off: the judgments grade fitness alone"
)


class Command(BaseCommand):
    help = "Evaluate expert and studio ranking (nDCG@10, Recall@50, MRR) on a corpus like ../shared/matching-dev/."

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, action="append",
                            help="directory with experts/studios/challenges .jsonl and qrels (repeat for several corpora)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--no-baseline", action="store_true", help="skip the plain BM25 baseline")
        parser.add_argument("--inside", help=argparse.SUPPRESS)  # set by the command itself, in the subprocess

    def handle(self, *args, **options):
        data_dirs = [Path(d).resolve() for d in options["data"]]
        no_baseline, inside = options["no_baseline"], options["inside"]
        for data_dir in data_dirs:
            for name in ("experts.jsonl", "studios.jsonl", "challenges.jsonl", "qrels.tsv"):
                if not (data_dir / name).exists():
                    raise CommandError(f"{data_dir / name} is missing")
        if inside:
            result = evaluate_here(data_dirs[0], baseline=not no_baseline)
            self.stdout.write(_dumps(result))
            return
        results = {}
        for data_dir in data_dirs:
            with tempfile.TemporaryDirectory(prefix="jianglian-eval-") as tmp:
                results[data_dir.name] = self._run_isolated(data_dir, Path(tmp), no_baseline)
        if options["json"]:
            self.stdout.write(_dumps(results[data_dirs[0].name] if len(results) == 1 else {"corpora": results}))
        elif len(results) == 1:
            self.stdout.write(report(results[data_dirs[0].name]))
        else:
            self.stdout.write("\n\n".join(f"== {name} ==\n{report(result)}" for name, result in results.items()))

    def _run_isolated(self, data_dir: Path, tmp: Path, no_baseline: bool) -> dict:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'eval.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp / "index"),
            "SEARCH_BACKEND": "embedded",
            "JIANGLIAN_VAR_DIR": str(tmp),
            "CELERY_BROKER_URL": "",
            "DJANGO_SETTINGS_MODULE": "jianglian.settings",
            "LOG_LEVEL": "WARNING",
        }
        for name in ("ELASTICSEARCH_URL", "CELERY_RESULT_BACKEND"):
            env.pop(name, None)
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "evaluate_matching",
                   "--data", str(data_dir), "--inside", str(tmp)]
        if no_baseline:
            command.append("--no-baseline")
        completed = subprocess.run(command, env=env, capture_output=True, text=True)
        if completed.returncode != 0:
            raise CommandError(f"evaluation failed:\n{completed.stderr[-4000:]}")
        return json_loads_last(completed.stdout)


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)


def json_loads_last(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def evaluate_here(data_dir: Path, *, baseline: bool) -> dict:
    """Runs inside the isolated store: migrate, load, index, rank, score."""
    from enterprises.models import Challenge
    from experts.taxonomy.loader import load_taxonomy
    from matching.engine import rank_challenge
    from matching.engine.profiles import refresh_all_areas
    from matching.evaluation import load_corpus, read_qrels, score_rankings, score_segments
    from search import sync
    from search.backends import get_backend

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_taxonomy()
    ids = load_corpus(data_dir)
    refresh_all_areas()
    sync.rebuild(["expert", "studio"])
    loaded = time.monotonic()

    expert_key = {pk: key for key, pk in ids["experts"].items()}
    studio_key = {pk: key for key, pk in ids["studios"].items()}
    challenge_key = {pk: key for key, pk in ids["challenges"].items()}
    challenges = list(Challenge.objects.filter(pk__in=challenge_key).select_related("enterprise").prefetch_related("skills"))
    rankings = {"expert": {}, "studio": {}}
    baseline_rankings = {"expert": {}, "studio": {}}
    timings = []
    backend = get_backend()
    for challenge in challenges:
        key = challenge_key[challenge.pk]
        for kind, keys in (("expert", expert_key), ("studio", studio_key)):
            t0 = time.perf_counter()
            ranked = rank_challenge(challenge, kind=kind, limit=None, disabled_signals=("availability",),
                                    explain=10)
            if kind == "expert":
                timings.append(time.perf_counter() - t0)
            rankings[kind][key] = [keys[c.id] for c in ranked]
            if baseline:
                hits = backend.search(kind, f"{challenge.title}\n{challenge.description}", limit=1000).hits
                baseline_rankings[kind][key] = [keys[h.id] for h in hits]

    segments = challenge_segments(challenges, challenge_key)
    expert_qrels = read_qrels(data_dir / "qrels.tsv")
    studio_qrels_path = data_dir / "studio_qrels.tsv"
    studio_qrels = read_qrels(studio_qrels_path) if studio_qrels_path.exists() else None
    judged = {"experts": (expert_qrels, 50, "expert")}
    if studio_qrels:
        judged["studios"] = (studio_qrels, 10, "studio")
    result = {"note": AVAILABILITY_NOTE, "availability_signal": "off", "challenges": len(challenges)}
    result["segments"] = {}
    for label, (qrels, recall_k, kind) in judged.items():
        result[label] = score_rankings(rankings[kind], qrels, recall_k=recall_k)
        result["segments"][label] = score_segments(rankings[kind], qrels, recall_k=recall_k, segments=segments)
    if baseline:
        result["baseline_bm25"] = {
            label: score_rankings(baseline_rankings[kind], qrels, recall_k=recall_k)
            for label, (qrels, recall_k, kind) in judged.items()
        }
        result["segments"]["baseline_bm25_experts"] = score_segments(
            baseline_rankings["expert"], expert_qrels, recall_k=50, segments=segments)
    timings.sort()
    result["timing"] = {
        "load_seconds": round(loaded - started, 1),
        "rank_ms_p50": round(1000 * timings[len(timings) // 2], 1) if timings else None,
        "rank_ms_p95": round(1000 * timings[int(len(timings) * 0.95)], 1) if timings else None,
    }
    return result


def challenge_segments(challenges, challenge_key) -> dict[str, set]:
    """Reporting segments, read from the postings (never from the judgments).

    plain: apart from the company introduction, the posting uses none of the taxonomy's skill names or
    synonyms of three or more characters, only everyday words;
    two_needs: a sentence opened by 此外/另外/同时… ; region: a preferred province.
    """
    from matching.engine.needs import sentence_role
    from matching.engine.profiles import sentences
    from matching.engine.taxonomy import get_taxonomy

    taxonomy = get_taxonomy()
    segments = {"plain": set(), "technical": set(), "two_needs": set(), "region": set()}
    for challenge in challenges:
        key = challenge_key[challenge.pk]
        own_words = [challenge.title] + [s for s in sentences(challenge.description) if sentence_role(s) != "intro"]
        hits = taxonomy.find("。".join(own_words))
        technical = any(hit.kind in ("name", "synonym") and len(hit.term) >= 3 for hit in hits)
        segments["technical" if technical else "plain"].add(key)
        if any(sentence_role(s) == "secondary" for s in sentences(challenge.description)):
            segments["two_needs"].add(key)
        if challenge.preferred_province:
            segments["region"].add(key)
    return segments


def report(result: dict) -> str:
    lines = [result["note"], ""]
    baseline = result.get("baseline_bm25", {})
    for kind, label in (("experts", "专家 experts"), ("studios", "工作室 studios")):
        if kind not in result:
            continue
        lines.append(_line(label, result[kind], result["challenges"]))
        if kind in baseline:
            lines.append(_line("  plain BM25", baseline[kind], result["challenges"]))
        base_segments = result["segments"].get("baseline_bm25_experts", {}) if kind == "experts" else {}
        for name, figures in result["segments"].get(kind, {}).items():
            lines.append(_line(f"  {name}", figures, figures["challenges"]))
            if name in base_segments:
                lines.append(_line("    plain BM25", base_segments[name], figures["challenges"]))
    timing = result.get("timing", {})
    lines.append("")
    lines.append(f"load {timing.get('load_seconds')} s; rank one challenge p50 {timing.get('rank_ms_p50')} ms, "
                 f"p95 {timing.get('rank_ms_p95')} ms")
    return "\n".join(lines)


def _line(label: str, figures: dict, n: int) -> str:
    shown = "  ".join(f"{k} {v:.3f}" for k, v in figures.items() if k != "challenges")
    return f"{label:<18} {shown}  (n={n})"
