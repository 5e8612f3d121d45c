"""Time to rank one challenge (retrieval + re-ranking) on the embedded defaults.

    python bench/matching.py --experts 100000 [--challenges 200] [--rounds 3] [--keep DIR]

Builds a throw-away store (SQLite file + tantivy index in a temporary directory) with synthetic
experts written from the taxonomy (1–4 areas each, lead/practice/passing sentences, 15 % sparse
profiles), then ranks synthetic challenges through matching.engine.rank_challenge and prints
p50/p95 of the first pass and of each challenge's best of --rounds passes (bench.timing.time_rounds). Building
100k experts takes a few minutes; --keep DIR reuses a store.

"expert+conflicts" is what matching.services.challenge_matches_compute does for experts: the conflicts of
interest read (matching.conflicts: the posting enterprise's group of 4, ~1 % of the experts working there, ~0.2 %
declaring a conflict with one of them) and left out before scoring. "expert+conflicts+similar" adds what the
challenge's page asks next: "has this been solved before?" (matching.similar.similar_challenges over the
store's 5,000 paired and resolved challenges).
"""
import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import machine_load, open_embedded_store, summary, time_rounds  # noqa: E402

PROVINCES = ["sichuan", "jiangsu", "chongqing", "shandong", "hubei", "henan", "zhejiang", "hebei", "yunnan"]
LEAD = ["主持{t}项目，效果显著", "牵头完成{t}攻关", "擅长{t}", "长期从事{t}工作"]
PRACTICE = ["参与{t}改造", "熟悉{t}", "熟练掌握{t}"]
PASSING = ["参加过{t}专题讲座", "参观过{t}示范装置"]
FILLER = ["先后培养徒弟{n}人", "累计提出合理化建议{n}条", "获评先进工作者{n}次", "参加工作{n}年来坚守生产一线"]


def synthetic_expert(rng, areas):
    chosen = rng.sample(areas, rng.randint(1, 4))
    sentences, tags = [], []
    sparse = rng.random() < 0.15
    for i, area in enumerate(chosen):
        term = rng.choice([area["name"], *area["synonyms"]])
        template = rng.choice(LEAD if i == 0 else PRACTICE + PASSING)
        sentences.append(template.format(t=term))
        if not sparse and rng.random() < 0.7:
            tags.append(rng.choice(area["synonyms"]))
    if not sparse:
        sentences += [rng.choice(FILLER).format(n=rng.randint(2, 60)) for _ in range(3)]
    return tags, "。".join(sentences) + "。"


def synthetic_challenge(rng, areas):
    main, second = rng.sample(areas, 2)
    problem = "、".join(rng.sample(main["problems"], min(2, len(main["problems"]))))
    text = f"生产中遇到的主要问题是：{problem}，一直没有得到有效解决。"
    if rng.random() < 0.4:
        text += f"此外，{rng.choice(second['problems'])}。"
    text += "希望通过结对帮扶，尽快扭转局面。"
    return f"{rng.choice(main['problems'])}问题求助", text, main["category"]


def build(n_experts, rng):
    from django.core.management import call_command

    from alliance.models import Studio
    from enterprises.models import Challenge, Enterprise
    from experts.models import Expert
    from experts.taxonomy import AREAS
    from experts.taxonomy.loader import load_taxonomy
    from matching.engine.profiles import refresh_all_areas
    from matching.models import PairingAgreement
    from search import sync

    call_command("migrate", verbosity=0)
    load_taxonomy()
    studios = Studio.objects.bulk_create([
        Studio(name=f"工作室{i}", host_enterprise="某公司", province=rng.choice(PROVINCES), city="某市",
               focus=[rng.choice(rng.choice(AREAS)["synonyms"])]) for i in range(n_experts // 100)
    ])
    # conflicts of interest: the posting enterprise belongs to a group of four; some experts work there
    parent = Enterprise.objects.create(name="基准集团有限公司", credit_code="BENCH0000000000001", province="sichuan",
                                       city="成都市")
    group = [parent] + [
        Enterprise.objects.create(name=name, credit_code=f"BENCH000000000000{i}", province="sichuan", city="成都市",
                                  group=parent)
        for i, name in ((0, "基准企业"), (2, "基准集团二厂"), (3, "基准集团三厂"))
    ]
    batch = []
    for i in range(n_experts):
        tags, bio = synthetic_expert(rng, AREAS)
        employer = rng.choice(group).name if rng.random() < 0.01 else "某化工有限公司"
        batch.append(Expert(name=f"专家{i}", employer=employer, province=rng.choice(PROVINCES), city="某市",
                            skill_tags=tags, bio=bio, capacity=rng.randint(1, 4),
                            studio=rng.choice(studios) if rng.random() < 0.5 else None))
        if len(batch) == 5000:
            Expert.objects.bulk_create(batch)
            batch = []
            print(f"  experts {i + 1}", file=sys.stderr)
    Expert.objects.bulk_create(batch)
    declaring = rng.sample(list(Expert.objects.values_list("id", flat=True)), n_experts // 500)
    Expert.conflicts.through.objects.bulk_create([
        Expert.conflicts.through(expert_id=expert_id, enterprise_id=rng.choice(group).pk) for expert_id in declaring
    ])
    t0 = time.perf_counter()
    refresh_all_areas(progress=lambda done, total: done % 20000 == 0 and print(f"  areas {done}/{total}", file=sys.stderr))
    print(f"  derived areas in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    t0 = time.perf_counter()
    sync.rebuild(["expert", "studio"])
    print(f"  search index built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    enterprise = group[1]
    others = Enterprise.objects.bulk_create([
        Enterprise(name=f"基准企业{i}", credit_code=f"BENCHX{i:012d}", province=rng.choice(PROVINCES), city="某市")
        for i in range(200)
    ])
    solved = Challenge.objects.bulk_create([
        Challenge(enterprise=rng.choice(others), title=title, description=text, category=category,
                  status=rng.choice([Challenge.Status.PAIRED, Challenge.Status.RESOLVED]))
        for title, text, category in (synthetic_challenge(rng, AREAS) for _ in range(5000))
    ])
    expert_ids = list(Expert.objects.values_list("id", flat=True)[:5000])
    PairingAgreement.objects.bulk_create([
        PairingAgreement(challenge=c, expert_id=rng.choice(expert_ids),
                         status="completed" if c.status == Challenge.Status.RESOLVED else "active",
                         problems_solved=rng.randint(1, 6) if c.status == Challenge.Status.RESOLVED else None,
                         enterprise_rating=rng.randint(3, 5) if c.status == Challenge.Status.RESOLVED else None)
        for c in solved
    ], batch_size=5000)
    sync.rebuild(["challenge"])
    Challenge.objects.bulk_create([
        Challenge(enterprise=enterprise, title=title, description=text, category=category,
                  preferred_province="sichuan" if rng.random() < 0.3 else "", status=Challenge.Status.OPEN)
        for title, text, category in (synthetic_challenge(rng, AREAS) for _ in range(300))
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--challenges", type=int, default=200)
    parser.add_argument("--keep", help="directory for the store, reused when it exists")
    parser.add_argument("--rounds", type=int, default=3, help="time each challenge this many times (default 3)")
    args = parser.parse_args()

    store = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jianglian-bench-"))
    store.mkdir(parents=True, exist_ok=True)
    fresh = not (store / "bench.sqlite3").exists()
    open_embedded_store(store)
    from django.contrib.auth.models import AnonymousUser

    from enterprises.models import Challenge
    from experts.models import Expert
    from matching.conflicts import excluded_expert_ids
    from matching.engine import rank_challenge
    from matching.similar import similar_challenges

    rng = random.Random(7)
    if not fresh:  # a kept store follows the project's migrations
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if fresh:
        print(f"building {args.experts} experts in {store} …", file=sys.stderr)
        build(args.experts, rng)
    n = Expert.objects.count()
    challenges = list(Challenge.objects.filter(status=Challenge.Status.OPEN).select_related("enterprise")
                      .prefetch_related("skills")[: args.challenges])
    rank_challenge(challenges[0], kind="expert")  # load the taxonomy and open the index once
    reader = AnonymousUser()
    similar_challenges(user=reader, challenge=challenges[0])  # open the challenge index once
    runs = {
        "expert": lambda c: rank_challenge(c, kind="expert"),
        "expert+conflicts": lambda c: rank_challenge(c, kind="expert", exclude=excluded_expert_ids(c)),
        "expert+conflicts+similar": lambda c: (rank_challenge(c, kind="expert", exclude=excluded_expert_ids(c)),
                                               similar_challenges(user=reader, challenge=c)),
        "studio": lambda c: rank_challenge(c, kind="studio"),
    }
    excluded = [len(excluded_expert_ids(challenge)) for challenge in challenges]
    print(f"conflicts of interest: {min(excluded)}–{max(excluded)} experts left out per challenge")
    for kind, run in runs.items():
        first, best, _ = time_rounds([lambda c=c: run(c) for c in challenges], args.rounds)
        print(f"{kind}: {n} experts, {len(challenges)} challenges: {summary(*first)}")
        if args.rounds > 1:
            print(f"{' ' * len(kind)}  best of {args.rounds} per challenge: {summary(*best)}")
    print(machine_load())
    if not args.keep:
        print(f"(store left in {store}; pass --keep to reuse it)", file=sys.stderr)


if __name__ == "__main__":
    main()
