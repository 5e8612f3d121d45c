"""The named signals of the re-ranking. Each returns (value, explanation in zh-hans and English).

The skill signal is an expected grade: for every plausible reading of the challenge's needs it
asks what grade of help the candidate would give (3: masters the main need and covers the second,
2: practises the main need or covers both, 1: knows of it, covers only the second, or masters an
adjacent area), and averages the gains 2^grade − 1 over the readings.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from jianglian.choices import PROVINCE_ENGLISH, Category, Province

from . import config
from .needs import Needs
from .taxonomy import TaxonomyIndex

LEVEL_LABELS = {0: ("提及", "mentioned"), 1: ("了解", "aware"), 2: ("熟练", "practised"), 3: ("精通", "mastered")}


@dataclass
class Candidate:
    id: int
    name: str
    province: str
    city: str
    areas: dict[int, tuple[int, str]]           # area id → (level, evidence)
    accepting: bool = True
    capacity: int = 0
    holding: int = 0
    completed: int = 0
    mean_rating: float | None = None
    text_score: float = 0.0
    score: float = 0.0
    breakdown: list[dict] = field(default_factory=list)


def explanation(zh: str, en: str) -> dict:
    return {"zh-hans": zh, "en": en}


def grade(main_level, second_level, has_second: bool, adjacent: bool) -> int:
    if main_level == 3 and (not has_second or (second_level or 0) >= 2):
        return 3
    if (main_level or 0) >= 2 or ((main_level or 0) >= 1 and (second_level or 0) >= 1):
        return 2
    if main_level == 1 or (second_level or 0) >= 1 or adjacent:
        return 1
    return 0


def _level(candidate: Candidate, area_id: int) -> int:
    level = candidate.areas.get(area_id, (0, ""))[0]
    return level  # 0 (only mentioned) counts as not mastered at all


def _adjacent(taxonomy: TaxonomyIndex, candidate: Candidate, area_id: int) -> bool:
    related = taxonomy.areas[area_id].related
    return any(level >= 2 and other in related for other, (level, _) in candidate.areas.items())


def expected_gain(taxonomy: TaxonomyIndex, needs: Needs, candidate: Candidate, cap=None) -> float:
    """Expected 2^grade − 1 over the readings of the needs, divided by the best gain; `cap(grade)` adjusts a grade."""
    if not needs.main:
        return 0.0
    seconds = needs.secondary or [None]
    total = 0.0
    for main in needs.main:
        main_level = _level(candidate, main.area_id)
        adjacent = _adjacent(taxonomy, candidate, main.area_id)
        for second in seconds:
            share = main.share * (second.share if second else 1.0)
            second_level = _level(candidate, second.area_id) if second else None
            g = grade(main_level, second_level, second is not None, adjacent)
            if cap:
                g = cap(g)
            total += share * config.GRADE_GAIN[g]
    return total / config.MAX_GAIN


def skill_signal(taxonomy: TaxonomyIndex, needs: Needs, candidate: Candidate):
    value = expected_gain(taxonomy, needs, candidate)
    shown = [n for n in needs.main[:2] + needs.secondary[:1]]
    parts_zh, parts_en = [], []
    for need in shown:
        area = taxonomy.areas[need.area_id]
        level, evidence = candidate.areas.get(need.area_id, (None, ""))
        terms = "、".join(need.terms[:2])
        if level is None:
            if _adjacent(taxonomy, candidate, need.area_id):
                parts_zh.append(f"相关领域可协助 {area.name}（需求：{terms}）")
                parts_en.append(f"adjacent to {area.name_en} (asked: {terms})")
            continue
        zh_level, en_level = LEVEL_LABELS[level]
        parts_zh.append(f"{zh_level} {area.name}（需求：{terms}；依据：{evidence}）")
        parts_en.append(f"{en_level} {area.name_en} (asked: {terms}; from: {evidence})")
    if not parts_zh:
        if not needs.main:
            return value, explanation("未识别出需求的技能领域", "No skill area recognised in the challenge")
        return value, explanation("未掌握所需技能领域", "No needed skill area in the profile")
    return value, explanation("；".join(parts_zh), "; ".join(parts_en))


def category_signal(taxonomy: TaxonomyIndex, category: str, candidate: Candidate):
    levels = [(taxonomy.areas[a].category, level) for a, (level, _) in candidate.areas.items() if a in taxonomy.areas]
    total = sum(level for _, level in levels)
    if not category or not total:
        return 0.0, explanation("类别未知", "Category unknown")
    value = sum(level for c, level in levels if c == category) / total
    label = Category(category)
    return value, explanation(
        f"{round(value * 100)}% 的专长属于{label.label}", f"{round(value * 100)}% of the expertise is {label.name.lower()}"
    )


def _province_names(code: str) -> tuple[str, str]:
    try:
        return str(Province(code).label), PROVINCE_ENGLISH.get(code, code)
    except ValueError:
        return code or "未知", code or "unknown"


def region_signal(province: str, city: str, candidate: Candidate):
    """Locality to the challenge's enterprise: same city > same province > elsewhere."""
    zh, en = _province_names(candidate.province)
    if candidate.province and candidate.province == province:
        if candidate.city and candidate.city == city:
            return config.REGION_VALUES["same_city"], explanation(f"同城：{candidate.city}", f"Same city: {candidate.city}")
        return config.REGION_VALUES["same_province"], explanation(f"同省：{zh}", f"Same province: {en}")
    return config.REGION_VALUES["elsewhere"], explanation(f"外省：{zh}", f"Other province: {en}")


def preferred_region_signal(taxonomy, needs, challenge, candidate: Candidate, gain: float):
    """The enterprise's preferred province: outside it, help counts for less (soft) or a grade less (strict)."""
    preferred = challenge.preferred_province
    if not preferred:
        return None
    zh, en = _province_names(preferred)
    if candidate.province == preferred:
        return config.REGION_VALUES["preferred"], explanation(f"位于期望地区：{zh}", f"In the preferred province: {en}")
    if challenge.region_strictness == "strict":
        cap = lambda g: max(0, g - 1)  # noqa: E731
        zh_rule, en_rule = "必须", "required"
    else:
        cap = lambda g: min(g, 2)  # noqa: E731
        zh_rule, en_rule = "优先", "preferred"
    value = expected_gain(taxonomy, needs, candidate, cap=cap) - gain
    return value, explanation(f"不在期望地区（{zh_rule}{zh}）", f"Outside the {en_rule} province ({en})")


def availability_signal(candidate: Candidate):
    if not candidate.accepting:
        return -1.0, explanation("暂不接受结对", "Not accepting pairings")
    if candidate.holding >= candidate.capacity:
        return -1.0, explanation(
            f"已满负荷（{candidate.holding}/{candidate.capacity}）", f"At capacity ({candidate.holding}/{candidate.capacity})"
        )
    free = candidate.capacity - candidate.holding
    return 0.0, explanation(f"可接受结对（剩余 {free} 个名额）", f"Available ({free} free)")


def track_record_signal(candidate: Candidate):
    if not candidate.completed:
        return 0.0, explanation("暂无已完成结对", "No completed pairing yet")
    rating = candidate.mean_rating
    experience = min(1.0, candidate.completed / 3)
    value = experience * (((rating - 3) / 2) if rating is not None else 0.5)
    rating_zh = f"，平均评分 {rating:.1f}" if rating is not None else ""
    rating_en = f", mean rating {rating:.1f}" if rating is not None else ""
    return value, explanation(
        f"已完成结对 {candidate.completed} 次{rating_zh}", f"{candidate.completed} completed pairings{rating_en}"
    )


def text_signal(candidate: Candidate, best: float):
    value = candidate.text_score / best if best > 0 else 0.0
    return value, explanation(f"文本相关度 {value:.2f}", f"Text relevance {value:.2f}")
