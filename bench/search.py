"""Search benchmark: rebuild throughput and query latency of the configured backend, against Whoosh.

    python bench/search.py --experts 100000 [--queries 200] [--keep DIR] [--no-whoosh]

Builds a throw-away store (SQLite file + index directory) of synthetic experts
written from the skill taxonomy (names, employers, studios, 1-4 skills, tags,
bios and achievements in plant language), then:

- rebuild: `search.sync.rebuild(["expert"])`, i.e. database read + segmentation +
  indexing, in experts/s;
- queries: 200 Chinese queries (taxonomy terms, enterprise phrasings, names,
  mixed with Latin terms) through `backend.search("expert", q, limit=50)`,
  p50/p95 in ms, and the same with facets and highlights as the REST view asked
  before issue 11; under "catalog", the same queries as the catalog asks now
  (`search.query.read_query`: read through the taxonomy, needs met first), and
  the reading alone;
- wall-clock figures, and CPU-time figures that a busy shared machine does
  not distort (the rebuild's includes its forked segmentation workers);
- Whoosh (django-haystack's embedded engine) on the same documents, with the
  same tokens (our segmentation as its analyzer) and the same boosted OR
  query, in the same run.

Prints one JSON object on stdout; progress goes to stderr.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import open_embedded_store  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国明华军伟强磊洋勇艳杰娟涛超秀兰霞平刚桂英志红海燕玉珍峰亮鹏辉敏静丽斌宇浩凯健俊帆晨"
CITIES = {
    "sichuan": ["成都", "泸州", "德阳", "自贡", "宜宾"], "jiangsu": ["南京", "苏州", "南通", "连云港", "泰州"],
    "shandong": ["济南", "淄博", "东营", "潍坊"], "zhejiang": ["杭州", "宁波", "绍兴", "衢州"],
    "hubei": ["武汉", "宜昌", "荆州"], "chongqing": ["重庆"], "henan": ["郑州", "洛阳", "平顶山"],
    "hebei": ["石家庄", "沧州", "唐山"], "shanghai": ["上海"], "guangdong": ["广州", "惠州", "茂名"],
}
EMPLOYER_HEADS = ["川南", "扬子", "齐鲁", "镇海", "荆门", "泸天", "金陵", "华鲁", "新和成", "恒力", "天华", "鲁西",
                  "巨化", "万华", "华谊", "石药", "华北", "国药", "人福", "科伦"]
EMPLOYER_TAILS = ["石化有限公司", "化工集团", "化肥厂", "制药股份有限公司", "精细化工有限公司", "药业集团", "化学工业公司"]
TITLES = ["高级技师", "技师", "高级工程师", "工程师", "首席技师", "特级技师", "正高级工程师"]
POSITIONS = ["班长", "车间主任", "设备主管", "工艺主管", "技术员", "首席技能专家", "安全总监", ""]
LEAD = ["主持{t}项目，效果显著", "牵头完成{t}攻关", "擅长{t}", "长期从事{t}工作", "带领团队开展{t}"]
PRACTICE = ["参与{t}改造", "熟悉{t}", "熟练掌握{t}", "多次处理{p}问题"]
ACHIEVE = ["完成{t}技术改造，年节约成本{n}万元", "解决{p}难题，获{y}年度技术革新奖", "编写{t}操作规程{n}项",
           "获国家发明专利{n}项，涉及{t}", "提出{t}合理化建议{n}条，创效{n}万元"]
FILLER = ["先后培养徒弟{n}人", "参加工作{n}年来坚守生产一线", "获评先进工作者{n}次", "主讲技能培训{n}期"]
LATIN = ["PLC", "DCS", "SIS", "MVR", "VOCs", "HAZOP", "pH", "C++", "O&M", "LDAR", "TPM", "6S", "GMP", "CIP"]
HONOURS = ["national_model_worker", "national_may_day_medal", "great_craftsman", "national_technical_expert",
           "provincial_model_worker", "provincial_craftsman", "industry_craftsman"]


def taxonomy_areas():
    try:
        from experts.taxonomy.data import AREAS
        return AREAS
    except ImportError:
        return [{"code": "distillation", "name": "精馏与分离", "name_en": "Distillation", "category": "technology",
                 "synonyms": ["精馏", "精馏塔", "萃取"], "problems": ["液泛", "产品纯度"], "related": []}]


def synthetic_expert(rng, areas, skills_by_code):
    chosen = rng.sample(areas, rng.randint(1, 4))
    bio, achievements, tags = [], [], []
    for i, area in enumerate(chosen):
        term = rng.choice([area["name"], *area["synonyms"]])
        problem = rng.choice(area["problems"] or [term])
        bio.append(rng.choice(LEAD if i == 0 else PRACTICE).format(t=term, p=problem))
        achievements.append(rng.choice(ACHIEVE).format(t=term, p=problem, n=rng.randint(2, 300),
                                                       y=rng.randint(2005, 2025)))
        if rng.random() < 0.7:
            tags.append(rng.choice(area["synonyms"]))
    if rng.random() < 0.3:
        bio.append(f"熟悉{rng.choice(LATIN)}系统")
    bio.append(rng.choice(FILLER).format(n=rng.randint(2, 60)))
    province = rng.choice(list(CITIES))
    fields = dict(
        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
        employer=rng.choice(EMPLOYER_HEADS) + rng.choice(EMPLOYER_TAILS),
        province=province, city=rng.choice(CITIES[province]),
        professional_title=rng.choice(TITLES), position=rng.choice(POSITIONS),
        skill_tags=tags, bio="。".join(bio) + "。", achievements="；".join(achievements) + "。",
    )
    return fields, [skills_by_code[a["code"]] for a in chosen]


def synthetic_queries(rng, areas, n):
    queries = []
    while len(queries) < n:
        area = rng.choice(areas)
        kind = len(queries) % 5
        if kind == 0:
            queries.append(rng.choice(area["synonyms"]))
        elif kind == 1:
            queries.append(f"{rng.choice(area['problems'] or area['synonyms'])}怎么解决")
        elif kind == 2:
            queries.append(" ".join(rng.sample(area["synonyms"], min(2, len(area["synonyms"])))))
        elif kind == 3:
            queries.append(f"{rng.choice(LATIN)} {rng.choice(area['synonyms'])}改造")
        else:
            queries.append(f"我们厂{rng.choice(area['problems'] or area['synonyms'])}，想找懂{area['name']}的专家")
    return queries


def build_store(n_experts, rng):
    from django.core.management import call_command
    from django.db import transaction

    from alliance.models import Studio
    from experts.models import Expert, ExpertHonour, Skill

    call_command("migrate", verbosity=0)
    areas = taxonomy_areas()
    Skill.objects.bulk_create([
        Skill(code=a["code"], name=a["name"], name_en=a.get("name_en", ""), category=a["category"],
              synonyms=a["synonyms"], problems=a["problems"]) for a in areas
    ])
    skills_by_code = {s.code: s for s in Skill.objects.all()}
    studios = Studio.objects.bulk_create([
        Studio(name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(areas)['name']}创新工作室{i}",
               host_enterprise=rng.choice(EMPLOYER_HEADS) + rng.choice(EMPLOYER_TAILS),
               province="sichuan", city="成都") for i in range(max(1, n_experts // 50))
    ])
    Through = Expert.skills.through
    for start in range(0, n_experts, 5000):
        with transaction.atomic():
            rows = []
            for _ in range(min(5000, n_experts - start)):
                fields, skills = synthetic_expert(rng, areas, skills_by_code)
                studio = rng.choice(studios) if rng.random() < 0.4 else None
                rows.append((Expert(studio=studio, **fields), skills))
            created = Expert.objects.bulk_create([e for e, _ in rows])
            Through.objects.bulk_create([Through(expert_id=e.pk, skill_id=s.pk)
                                         for e, (_, skills) in zip(created, rows) for s in skills])
            ExpertHonour.objects.bulk_create([ExpertHonour(expert_id=e.pk, honour=rng.choice(HONOURS))
                                              for e in created if rng.random() < 0.3])
        print(f"  experts {start + len(rows)}", file=sys.stderr)


def percentiles(values):
    values = sorted(values)
    return {"p50_ms": round(statistics.median(values), 2), "p95_ms": round(values[int(len(values) * 0.95) - 1], 2),
            "max_ms": round(values[-1], 2)}


def time_queries(run, queries):
    """Wall-clock percentiles, and CPU-time ones: on a shared machine the second is what the code costs."""
    run(queries[0])  # open the index once
    wall, cpu = [], []
    for q in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        run(q)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    return {**percentiles(wall), **{f"cpu_{k}": v for k, v in percentiles(cpu).items()}}


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the rebuild's forked workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def whoosh_bench(definition, documents, queries, directory):
    from whoosh import fields as wf
    from whoosh import index as wi
    from whoosh import query as wq
    from whoosh.analysis import SpaceSeparatedTokenizer

    from search import text

    analyzer = SpaceSeparatedTokenizer()
    schema = wf.Schema(id=wf.NUMERIC(stored=True, unique=True, bits=64),
                       **{f.name: wf.TEXT(analyzer=analyzer, field_boost=f.boost) for f in definition.search_fields},
                       **{name: wf.KEYWORD(commas=True) for name in definition.filter_field_names})
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    index = wi.create_in(directory, schema)
    t0, c0 = time.perf_counter(), cpu_seconds()
    writer = index.writer(limitmb=256)
    for doc in documents:
        writer.add_document(
            id=doc["id"],
            **{name: text.index_text(doc.get(name) or "") for name in definition.search_field_names},
            **{name: ",".join(doc.get(name) or []) for name in definition.filter_field_names},
        )
    writer.commit()
    build_s, build_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    searcher = index.searcher()

    def run(q):
        tokens = text.tokenize_query(q)
        clauses = [wq.Term(f.name, t, boost=f.boost) for t in tokens for f in definition.search_fields]
        # optimize=False: Whoosh's block-quality skipping looped forever on some OR queries here
        # (AndMaybeMatcher.skip_to_quality on "衬里 缓蚀剂" at 100k experts); without it every query ends.
        return [hit["id"] for hit in searcher.search(wq.Or(clauses), limit=50, optimize=False)]

    latency = time_queries(run, queries)
    return {"rebuild_s": round(build_s, 1), "experts_per_s": round(len(documents) / build_s),
            "cpu_seconds": round(build_cpu, 1), "experts_per_cpu_s": round(len(documents) / build_cpu), **latency}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", help="directory for the store, reused when it exists")
    parser.add_argument("--no-whoosh", action="store_true")
    args = parser.parse_args()

    store = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jianglian-search-bench-"))
    store.mkdir(parents=True, exist_ok=True)
    fresh = not (store / "bench.sqlite3").exists()
    open_embedded_store(store, SEARCH_BACKEND=os.environ.get("SEARCH_BACKEND", "embedded"))
    from search import sync, text
    from search.backends import get_backend
    from search.index import get_definition
    from search.query import read_query

    rng = random.Random(11)
    if fresh:
        print(f"building {args.experts} experts in {store} …", file=sys.stderr)
        build_store(args.experts, rng)
    text.reload_user_dictionary()
    definition = get_definition("expert")
    backend = get_backend()
    experts = definition.count()

    t0, c0 = time.perf_counter(), cpu_seconds()
    sync.rebuild(["expert"], backends=[backend])
    rebuild_s, rebuild_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    print(f"  rebuilt in {rebuild_s:.1f} s", file=sys.stderr)

    queries = synthetic_queries(random.Random(5), taxonomy_areas(), args.queries)
    plain = time_queries(lambda q: backend.search(definition, q, limit=50), queries)
    rest = time_queries(lambda q: backend.search(definition, q, limit=20, facets=definition.facet_field_names,
                                                 highlight=True), queries)
    hits = [backend.search(definition, q, limit=50).total for q in queries]
    # The catalog now (search_visible): the query read through the taxonomy, needs met first.
    reading = time_queries(read_query, queries)
    catalog = time_queries(lambda q: backend.search(definition, read_query(q), limit=50), queries)
    catalog_rest = time_queries(lambda q: backend.search(definition, read_query(q), limit=20, highlight=True,
                                                         facets=definition.facet_field_names), queries)
    catalog_hits = [backend.search(definition, read_query(q), limit=50).total for q in queries]
    result = {
        "backend": backend.name,
        "experts": experts,
        "queries": len(queries),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "rebuild": {"seconds": round(rebuild_s, 1), "experts_per_s": round(experts / rebuild_s),
                    "cpu_seconds": round(rebuild_cpu, 1),
                    "experts_per_s_with_all_cores": round(experts / rebuild_cpu * (os.cpu_count() or 1))},
        "query_top50": plain,
        "query_top20_facets_highlights": rest,
        "median_matches_per_query": statistics.median(hits),
        "catalog": {  # what search_visible asks now; the figures above are the plain query it asked before
            "reading": reading,
            "query_top50": catalog,
            "query_top20_facets_highlights": catalog_rest,
            "median_matches_per_query": statistics.median(catalog_hits),
        },
    }
    if not args.no_whoosh:
        print("  whoosh …", file=sys.stderr)
        documents = list(definition.iter_documents())
        whoosh = whoosh_bench(definition, documents, queries, str(store / "whoosh"))
        result["whoosh"] = whoosh
        result["ratios"] = {
            "rebuild_speedup": round(result["rebuild"]["experts_per_s"] / whoosh["experts_per_s"], 1),
            "query_p50_speedup": round(whoosh["p50_ms"] / plain["p50_ms"], 1),
            "query_p95_speedup": round(whoosh["p95_ms"] / plain["p95_ms"], 1),
            "rebuild_cpu_speedup": round(whoosh["cpu_seconds"] / result["rebuild"]["cpu_seconds"], 1),
            "query_cpu_p50_speedup": round(whoosh["cpu_p50_ms"] / plain["cpu_p50_ms"], 1),
            "query_cpu_p95_speedup": round(whoosh["cpu_p95_ms"] / plain["cpu_p95_ms"], 1),
        }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
