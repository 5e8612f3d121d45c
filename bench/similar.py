"""Time "has this been solved before?" (matching.similar) on the embedded defaults.

    python bench/similar.py --challenges 100000 [--queries 200] [--rounds 3] [--keep DIR]

Builds a throw-away store (SQLite file + tantivy index in a temporary directory) with synthetic challenges
written from the taxonomy's typical problems across 2,000 enterprises, a quarter of them paired or resolved with
their pairing (outcome figures, an expert, half of the experts in a studio), indexes them, then asks for the
challenges like newly typed texts (the posting form: matching.similar.similar_to_text, search + the rows + their
pairings) and like stored drafts (Challenge.similar: similar_challenges), and prints p50/p95.
--keep DIR reuses a store.
"""
import argparse
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine_load, open_embedded_store, summary, time_rounds  # noqa: E402

PROVINCES = ["sichuan", "jiangsu", "chongqing", "shandong", "hubei", "henan", "zhejiang", "hebei", "yunnan"]
OPENINGS = ["生产中遇到的主要问题是：{p}", "近一年来{p}，一直没有得到有效解决", "车间反映{p}，影响产量"]
CLOSINGS = ["希望通过结对帮扶，尽快扭转局面。", "希望有经验的师傅来现场指导。", "希望在半年内见到效果。"]


def synthetic_text(rng, areas):
    main = rng.choice(areas)
    problems = rng.sample(main["problems"], min(2, len(main["problems"])))
    text = rng.choice(OPENINGS).format(p="、".join(problems)) + "。"
    if rng.random() < 0.4:
        text += f"此外，{rng.choice(rng.choice(areas)['problems'])}。"
    return f"{rng.choice(main['problems'])}问题求助", text + rng.choice(CLOSINGS), main["category"]


def build(n_challenges, rng):
    from django.core.management import call_command

    from alliance.models import Studio
    from enterprises.models import Challenge, Enterprise
    from experts.models import Expert
    from experts.taxonomy import AREAS
    from experts.taxonomy.loader import load_taxonomy
    from matching.models import PairingAgreement
    from search import sync

    call_command("migrate", verbosity=0)
    load_taxonomy()
    enterprises = Enterprise.objects.bulk_create([
        Enterprise(name=f"基准企业{i}", credit_code=f"BENCH{i:013d}", province=rng.choice(PROVINCES), city="某市",
                   verified=True) for i in range(2000)
    ])
    studios = Studio.objects.bulk_create([
        Studio(name=f"工作室{i}", host_enterprise="某公司", province=rng.choice(PROVINCES), city="某市")
        for i in range(200)
    ])
    experts = Expert.objects.bulk_create([
        Expert(name=f"专家{i}", employer="某化工有限公司", province=rng.choice(PROVINCES), city="某市",
               studio=rng.choice(studios) if rng.random() < 0.5 else None) for i in range(5000)
    ])
    statuses = ["open"] * 55 + ["paired"] * 10 + ["resolved"] * 15 + ["draft"] * 15 + ["closed"] * 5
    for start in range(0, n_challenges, 5000):
        rows = []
        for _ in range(min(5000, n_challenges - start)):
            title, text, category = synthetic_text(rng, AREAS)
            rows.append(Challenge(enterprise=rng.choice(enterprises), title=title, description=text, category=category,
                                  status=rng.choice(statuses)))
        Challenge.objects.bulk_create(rows)
        print(f"  challenges {start + len(rows)}", file=sys.stderr)
    pairings = []
    for challenge_id, status in Challenge.objects.filter(status__in=["paired", "resolved"]).values_list("id", "status"):
        done = status == "resolved"
        pairings.append(PairingAgreement(
            challenge_id=challenge_id, expert=rng.choice(experts), status="completed" if done else "active",
            problems_solved=rng.randint(1, 6) if done else None,
            savings_yuan=Decimal(rng.randint(1, 300) * 10000) if done else None,
            enterprise_rating=rng.randint(3, 5) if done else None,
        ))
    PairingAgreement.objects.bulk_create(pairings, batch_size=5000)
    t0 = time.perf_counter()
    sync.rebuild(["challenge"])
    print(f"  challenge index built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--challenges", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", help="directory for the store, reused when it exists")
    parser.add_argument("--rounds", type=int, default=3, help="time each query this many times (default 3)")
    args = parser.parse_args()

    store = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jianglian-bench-similar-"))
    store.mkdir(parents=True, exist_ok=True)
    fresh = not (store / "bench.sqlite3").exists()
    open_embedded_store(store)
    from django.contrib.auth.models import AnonymousUser

    from enterprises.models import Challenge
    from experts.taxonomy import AREAS
    from matching.similar import similar_challenges, similar_to_text

    rng = random.Random(11)
    if not fresh:  # a kept store follows the project's migrations
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if fresh:
        print(f"building {args.challenges} challenges in {store} …", file=sys.stderr)
        build(args.challenges, rng)
    n = Challenge.objects.count()
    solved = Challenge.objects.filter(status__in=["paired", "resolved"]).count()
    user = AnonymousUser()  # what everyone may see: the paired and resolved challenges are public
    texts = [synthetic_text(rng, AREAS)[:2] for _ in range(args.queries)]
    drafts = list(Challenge.objects.filter(status="draft").select_related("enterprise")[: args.queries])
    similar_to_text(user=user, title=texts[0][0], description=texts[0][1])  # open the index once
    runs = {
        "typed text (posting form)": [lambda t=t: similar_to_text(user=user, title=t[0], description=t[1]) for t in texts],
        "a draft (Challenge.similar)": [lambda c=c: similar_challenges(user=user, challenge=c) for c in drafts],
    }
    found = []
    for name, calls in runs.items():
        first, best, results = time_rounds(calls, args.rounds)
        found += [len(r) for r in results]
        print(f"{name}: {n} challenges ({solved} paired or resolved), {len(calls)} queries: {summary(*first)}")
        if args.rounds > 1:
            print(f"{' ' * len(name)}  best of {args.rounds} per query: {summary(*best)}")
    print(f"results per query: {min(found)}–{max(found)} (at most 5)")
    print(machine_load())
    if not args.keep:
        print(f"(store left in {store}; pass --keep to reuse it)", file=sys.stderr)


if __name__ == "__main__":
    main()
