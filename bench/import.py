"""Importing a roster of experts: a dry run, then the import, on the embedded defaults.

    python bench/import.py [--rows 10000] [--format xlsx|csv] [--demo] [--keep DIR]

Builds a throw-away store (SQLite file + tantivy index in a temporary directory, Celery eager as on a fresh
machine) with the skill taxonomy (and with --demo the demo data set: its open challenges are then re-ranked
after the import), writes a synthetic roster of `--rows` experts (names, employers, mobile phones, provinces,
skills written as the taxonomy's names and synonyms, honours with years, biographies) and times, through the
service the command and the page use:
  1. the dry run (read, check, match every row);
  2. the import: the same checks, the writes in one transaction, then what the commit triggers — the search
     index update of every imported expert and matching's refresh (areas, re-ranking) — in-process, as
     `./dev serve` runs it;
  3. the same file again as a dry run: every row unchanged.
The budget (issue 13) is 60 s for 1 + 2 with 10,000 rows on a 2-core machine.
"""
import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import open_embedded_store  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国志强海涛卫东明华秀英丽娟文斌永刚红梅晓峰国庆春生德胜玉兰金凤德华立新红军宏伟振华少华学军淑珍桂英"
EMPLOYER_PARTS = (["四川", "泸州", "江苏", "山东", "湖北", "重庆", "浙江", "河南", "云南", "河北"],
                  ["天华", "金象", "扬农", "鲁西", "兴发", "川维", "巨化", "心连心", "云天化", "华润"],
                  ["化工集团有限公司", "化学股份有限公司", "制药有限公司", "石化有限公司", "精细化工有限公司"])
PROVINCES = ["四川", "江苏", "山东", "湖北", "重庆", "浙江", "河南", "云南", "河北", "广东"]
CITIES = ["成都", "泸州", "南京", "淄博", "宜昌", "重庆", "杭州", "新乡", "昆明", "石家庄"]
HONOURS = ["全国劳动模范", "全国五一劳动奖章", "大国工匠", "全国技术能手", "省级工匠", "中华技能大奖", "省五一劳动奖章"]
TITLES = ["高级技师", "技师", "正高级工程师", "高级工程师", "工程师"]
POSITIONS = ["首席技师", "班长", "车间主任", "技术员", "工段长", "首席技能专家"]
LEAD = ["主持{t}项目，效果显著", "牵头完成{t}攻关", "擅长{t}", "长期从事{t}工作"]
PRACTICE = ["参与{t}改造", "熟悉{t}", "熟练掌握{t}"]

HEADERS = ["序号", "姓名", "性别", "出生年份", "类型", "工作单位", "职务", "职称/技能等级", "省份", "城市", "荣誉称号",
           "技能专长", "可同时结对数", "接受结对", "手机号", "邮箱", "简介", "主要成果"]


def roster_rows(n: int, rng: random.Random, areas) -> list[list]:
    rows = []
    phones = rng.sample(range(10_000_000, 99_999_999), n)
    for i in range(n):
        chosen = rng.sample(areas, rng.randint(1, 3))
        skills = [rng.choice([a["name"], *a["synonyms"]]) for a in chosen]
        bio = "。".join(rng.choice(LEAD if j == 0 else PRACTICE).format(t=s) for j, s in enumerate(skills)) + "。"
        province = rng.randrange(len(PROVINCES))
        honours = rng.sample(HONOURS, rng.randint(0, 2))
        rows.append([
            i + 1,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            rng.choice(["男", "女"]),
            rng.randint(1960, 1995),
            rng.choice(["劳模", "工匠", "劳模、工匠"]),
            "".join(rng.choice(part) for part in EMPLOYER_PARTS),
            rng.choice(POSITIONS),
            rng.choice(TITLES),
            PROVINCES[province] + "省" if rng.random() < 0.5 else PROVINCES[province],
            CITIES[province],
            "、".join(f"{h}（{rng.randint(2000, 2023)}）" if rng.random() < 0.5 else h for h in honours),
            "、".join(skills),
            rng.randint(1, 4),
            rng.choice(["是", "是", "否"]),
            f"13{rng.randint(0, 9)}{phones[i]:08d}",
            f"expert{i}@example.com",
            bio,
            f"累计提出合理化建议{rng.randint(2, 60)}条，培养徒弟{rng.randint(1, 30)}人。",
        ])
    return rows


def write_roster(rows, fmt: str) -> bytes:
    if fmt == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return buffer.getvalue().encode("gb18030")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("劳模工匠库")
    sheet.append(["2024年劳模工匠名册"])  # a title row above the header, as real rosters have
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Phases:
    """Times the phases the service reports (check, write) and what runs after the commit."""

    def __init__(self):
        self.marks = {}
        self.started = time.perf_counter()

    def __call__(self, phase, done, total):
        now = time.perf_counter()
        self.marks.setdefault(f"{phase} start", now)
        if done == total:
            self.marks[f"{phase} end"] = now

    def span(self, a, b):
        return self.marks.get(b, 0) - self.marks.get(a, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--demo", action="store_true", help="load the demo data first (open challenges re-ranked)")
    parser.add_argument("--keep", help="directory for the store (kept afterwards)")
    args = parser.parse_args()

    store = Path(args.keep or tempfile.mkdtemp(prefix="jianglian-bench-import-"))
    store.mkdir(parents=True, exist_ok=True)
    for leftover in ("bench.sqlite3", "bench.sqlite3-wal", "bench.sqlite3-shm"):
        (store / leftover).unlink(missing_ok=True)
    open_embedded_store(store)
    from django.core.management import call_command

    from experts.models import Expert
    from experts.services import experts_import
    from experts.taxonomy import AREAS
    from experts.taxonomy.loader import load_taxonomy
    from search.selectors import search_visible  # noqa: F401  (imported before timing, like a running server)

    print(f"store: {store}", file=sys.stderr)
    call_command("migrate", verbosity=0)
    load_taxonomy()
    if args.demo:
        print("loading the demo data …", file=sys.stderr)
        call_command("seed_demo", "--no-progress", stdout=io.StringIO())
    from enterprises.models import Challenge

    open_challenges = Challenge.objects.filter(status="open").count()
    before = Expert.objects.count()
    data = write_roster(roster_rows(args.rows, random.Random(13), AREAS), args.format)
    (store / f"roster.{args.format}").write_bytes(data)

    dry = Phases()
    c0 = time.process_time()
    t0 = time.perf_counter()
    report = experts_import(user=None, data=data, filename=f"roster.{args.format}", dry_run=True, progress=dry)
    dry_s = time.perf_counter() - t0
    dry_cpu = time.process_time() - c0
    assert not report.has_errors, report.as_dict()["errors"][:5]

    run = Phases()
    c0 = time.process_time()
    t0 = time.perf_counter()
    report = experts_import(user=None, data=data, filename=f"roster.{args.format}", dry_run=False, progress=run)
    import_s = time.perf_counter() - t0
    import_cpu = time.process_time() - c0
    after_commit = time.perf_counter() - run.marks["write end"] if "write end" in run.marks else 0.0
    assert report.imported and report.count("new") == args.rows, report.counts()

    t0 = time.perf_counter()
    again = experts_import(user=None, data=data, filename=f"roster.{args.format}", dry_run=True)
    again_s = time.perf_counter() - t0

    from search.backends import get_backend
    from search.index import get_definition

    indexed = len(get_backend().fingerprints(get_definition("expert")))
    load = os.getloadavg()[0]
    size = len(data) / 1024 / 1024
    print(f"roster: {args.rows} experts, {args.format} {size:.1f} MB; store had {before} experts, "
          f"{open_challenges} open challenges")
    print(f"dry run:  {dry_s:5.1f} s  (read + check {dry.span('check start', 'check end') + (dry.marks.get('check start', t0) - dry.started):.1f} s)"
          f" → {report.count('new')} new, {report.error_rows} errors")
    print(f"import:   {import_s:5.1f} s  (checks {run.marks.get('write start', 0) - run.started:.1f} s, "
          f"writes {run.span('write start', 'write end'):.1f} s, after commit — index + matching — {after_commit:.1f} s)")
    print(f"cpu:      dry run {dry_cpu:.1f} s, import {import_cpu:.1f} s (this process; the wall times include waiting "
          f"for the other processes on the machine)")
    print(f"total:    {dry_s + import_s:5.1f} s  (budget 60 s)   [{indexed} experts in the index; "
          f"load average {load:.2f} on {os.cpu_count()} cores]")
    print(f"re-run dry: {again_s:5.1f} s → {again.count('unchanged')} unchanged, {again.count('update')} updates, "
          f"{again.count('new')} new")


if __name__ == "__main__":
    main()
