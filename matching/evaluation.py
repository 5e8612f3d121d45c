"""Evaluate the engine on a judged corpus (the format of ../shared/matching-dev/).

`load_corpus` turns the three .jsonl files into platform rows; the qrels are read only by
`score_rankings`. Everything here runs inside the isolated store evaluate_matching creates.
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jianglian.choices import Category, Honour, Industry, Province

CATEGORY_OF = {"科技创新": Category.TECHNOLOGY, "管理创新": Category.MANAGEMENT, "绿色发展": Category.GREEN}
INDUSTRY_OF = {"化工": Industry.CHEMICAL, "医药": Industry.PHARMACEUTICAL}
ROLE_OF = {"劳模": "model_worker", "工匠": "craftsman", "劳模、工匠": "both"}
LEVEL_OF = {"国家级": "national", "省级": "provincial", "市级": "municipal", "企业级": "enterprise"}
NATIONAL_HONOURS = {
    "全国劳动模范": Honour.NATIONAL_MODEL_WORKER,
    "全国五一劳动奖章": Honour.NATIONAL_MAY_DAY_MEDAL,
    "大国工匠": Honour.GREAT_CRAFTSMAN,
    "全国技术能手": Honour.NATIONAL_TECHNICAL_EXPERT,
    "中华技能大奖": Honour.CHINA_SKILLS_AWARD,
}


def honour_of(title: str):
    """The platform's Honour for a corpus title, or None (city-level and other titles are not kept)."""
    for prefix, honour in NATIONAL_HONOURS.items():
        if title.startswith(prefix):
            return honour
    if title.startswith("全国石油和化") or title.startswith("全国化工"):
        return Honour.INDUSTRY_CRAFTSMAN if "技术能手" in title or "工匠" in title else None
    if Province.from_chinese(title):  # 四川省劳动模范, 重庆市五一劳动奖章 …
        if title.endswith("劳动模范"):
            return Honour.PROVINCIAL_MODEL_WORKER
        if title.endswith("五一劳动奖章"):
            return Honour.PROVINCIAL_MAY_DAY_MEDAL
    if title.endswith("工匠") and len(title) <= 6:  # 天府工匠, 齐鲁工匠, 江苏工匠 …
        return Honour.PROVINCIAL_CRAFTSMAN
    return None


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def province_code(name) -> str:
    province = Province.from_chinese(name or "")
    return province.value if province else ""


@transaction.atomic
def load_corpus(data_dir: Path) -> dict:
    """Create studios, experts, honours, enterprises and open challenges; returns corpus id → row id maps."""
    from alliance.models import Studio
    from enterprises.models import Challenge, Enterprise
    from experts.models import Expert, ExpertHonour

    studios_raw = read_jsonl(data_dir / "studios.jsonl")
    experts_raw = read_jsonl(data_dir / "experts.jsonl")
    challenges_raw = read_jsonl(data_dir / "challenges.jsonl")

    studios = Studio.objects.bulk_create([
        Studio(name=s["name"], level=LEVEL_OF.get(s.get("level"), "enterprise"),
               host_enterprise=s.get("host_enterprise") or "", province=province_code(s.get("province")),
               city=s.get("city") or "", established_year=s.get("established_year"), focus=s.get("focus") or [],
               description=s.get("description") or "", capacity=s.get("capacity") or 3,
               membership_status=Studio.MembershipStatus.MEMBER)
        for s in studios_raw
    ])
    studio_ids = {raw["studio_id"]: row.pk for raw, row in zip(studios_raw, studios)}
    experts = Expert.objects.bulk_create([
        Expert(name=e["name"], gender={"男": "male", "女": "female"}.get(e.get("gender"), ""),
               birth_year=e.get("birth_year"), role=ROLE_OF.get(e.get("role"), "craftsman"),
               professional_title=e.get("professional_title") or "", position=e.get("position") or "",
               employer=e.get("employer") or "", province=province_code(e.get("province")), city=e.get("city") or "",
               industry=INDUSTRY_OF.get(e.get("industry"), Industry.CHEMICAL), skill_tags=e.get("skills") or [],
               bio=e.get("bio") or "", studio_id=studio_ids.get(e.get("studio_id")), capacity=e.get("capacity") or 0,
               accepting_pairings=True, accepts_remote=bool(e.get("accepts_remote", True)))
        for e in experts_raw
    ], batch_size=1000)
    expert_ids = {raw["expert_id"]: row.pk for raw, row in zip(experts_raw, experts)}
    honours = []
    for raw in experts_raw:
        kept = {honour_of(title) for title in raw.get("honors") or []} - {None}
        honours.extend(ExpertHonour(expert_id=expert_ids[raw["expert_id"]], honour=h) for h in kept)
    ExpertHonour.objects.bulk_create(honours, batch_size=1000)
    _link_tags_to_skills(experts_raw, expert_ids)
    for raw in studios_raw:
        if raw.get("leader_id") in expert_ids:
            Studio.objects.filter(pk=studio_ids[raw["studio_id"]]).update(lead_id=expert_ids[raw["leader_id"]])

    enterprises = {}
    for raw in challenges_raw:
        name = raw.get("enterprise") or raw["challenge_id"]
        if name not in enterprises:
            enterprises[name] = Enterprise(
                name=name, credit_code=f"EVAL{len(enterprises):014d}", province=province_code(raw.get("province")),
                city=raw.get("city") or "", industry=INDUSTRY_OF.get(raw.get("industry"), Industry.CHEMICAL),
                verified=True)
    Enterprise.objects.bulk_create(enterprises.values())
    now = timezone.now()
    challenges = []
    for raw in challenges_raw:
        preference = raw.get("region_preference") or {}
        challenges.append(Challenge(
            enterprise=enterprises[raw.get("enterprise") or raw["challenge_id"]], title=raw["title"],
            description=raw["description"], category=CATEGORY_OF.get(raw.get("category"), Category.TECHNOLOGY),
            preferred_province=province_code(preference.get("province")),
            region_strictness=preference.get("strength") or Challenge.RegionStrictness.SOFT,
            status=Challenge.Status.OPEN, published_at=now))
    Challenge.objects.bulk_create(challenges)
    return {
        "experts": expert_ids,
        "studios": studio_ids,
        "challenges": {raw["challenge_id"]: row.pk for raw, row in zip(challenges_raw, challenges)},
        "plain_language": {},
    }


def _link_tags_to_skills(experts_raw, expert_ids) -> None:
    """A free-text tag that is exactly a taxonomy skill's name or synonym becomes that Skill on the profile."""
    from experts.models import Expert, Skill
    from search.text import normalize

    by_word = {}
    for skill_id, name, synonyms in Skill.objects.values_list("id", "name", "synonyms"):
        for word in [name, *(synonyms or [])]:
            by_word.setdefault(normalize(word), skill_id)
    Link = Expert.skills.through
    links = {
        (expert_ids[raw["expert_id"]], by_word[normalize(tag)])
        for raw in experts_raw for tag in raw.get("skills") or [] if normalize(tag) in by_word
    }
    Link.objects.bulk_create([Link(expert_id=e, skill_id=s) for e, s in links], batch_size=2000)


# --- metrics ----------------------------------------------------------------------------------

def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                qrels[parts[0]][parts[1]] = int(parts[2])
    return qrels


def ndcg_at(ranking: list[str], grades: dict[str, int], k: int) -> float:
    dcg = sum((2 ** grades.get(item, 0) - 1) / math.log2(i + 2) for i, item in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: list[str], grades: dict[str, int], k: int) -> float:
    relevant = {item for item, g in grades.items() if g >= 2}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranking: list[str], grades: dict[str, int]) -> float:
    for i, item in enumerate(ranking):
        if grades.get(item, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def success_at(ranking: list[str], grades: dict[str, int], k: int) -> float:
    """1 when a grade ≥ 2 candidate is among the first k, else 0."""
    return 1.0 if any(grades.get(item, 0) >= 2 for item in ranking[:k]) else 0.0


def score_rankings(rankings: dict[str, list[str]], qrels: dict, *, recall_k: int) -> dict:
    """Macro averages over the judged challenges among `rankings`: nDCG@10, Recall@k (grade ≥ 2), MRR and
    success@10 (a grade ≥ 2 candidate in the first ten; with one judged solver per challenge, as in the real
    cases, it is the share of challenges whose solver the first page shows)."""
    ids = [c for c in rankings if c in qrels]
    if not ids:
        return {}
    per = [(ndcg_at(rankings[c], qrels[c], 10), recall_at(rankings[c], qrels[c], recall_k),
            reciprocal_rank(rankings[c], qrels[c]), success_at(rankings[c], qrels[c], 10)) for c in ids]
    n = len(per)
    return {"ndcg@10": round(sum(p[0] for p in per) / n, 4),
            f"recall@{recall_k}": round(sum(p[1] for p in per) / n, 4),
            "mrr": round(sum(p[2] for p in per) / n, 4),
            "success@10": round(sum(p[3] for p in per) / n, 4)}


def score_segments(rankings: dict[str, list[str]], qrels: dict, *, recall_k: int, segments: dict) -> dict:
    """score_rankings per segment ({name: set of challenge ids}), each with its number of challenges."""
    result = {}
    for name, ids in segments.items():
        chosen = {c: r for c, r in rankings.items() if c in ids and c in qrels}
        if chosen:
            result[name] = {**score_rankings(chosen, qrels, recall_k=recall_k), "challenges": len(chosen)}
    return result
