"""The named signals of the re-ranking.

Every signal has a value function (run for every candidate, numbers only) and a reason function
(run only for the candidates shown) giving the explanation in zh-hans and English.

The skill signal is an expected grade: for every plausible reading of the challenge's needs it
asks what grade of help the candidate would give (3: masters the main need and covers the second,
2: practises the main need or covers both, 1: knows of it, covers only the second, or practises an
adjacent area), and averages the gains 2^grade − 1 over the readings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import translation

from jianglian.choices import PROVINCE_ENGLISH, Category, Province

from . import config
from . import evidence as specific
from .needs import Needs
from .taxonomy import TaxonomyIndex

LEVEL_LABELS = {0: ("提及", "mentioned"), 1: ("了解", "aware"), 2: ("熟练", "practised"), 3: ("精通", "mastered")}
CATEGORY_NAMES = {
    Category.TECHNOLOGY: ("科技创新", "technology innovation"),
    Category.MANAGEMENT: ("管理创新", "management innovation"),
    Category.GREEN: ("绿色发展", "green development"),
}


@dataclass(slots=True)  # a few hundred per ranking: slots halve their construction
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
    own_score: float = 0.0                      # BM25 of the posting's own words alone
    score: float = 0.0
    values: dict[str, float] = field(default_factory=dict)
    breakdown: list[dict] = field(default_factory=list)


@dataclass
class Context:
    """What every signal needs to know about the challenge, computed once per ranking."""

    taxonomy: TaxonomyIndex
    needs: Needs
    category: str
    province: str
    city: str
    preferred_province: str
    strict: bool
    best_text: float = 0.0
    evidence: specific.Evidence = field(default_factory=specific.Evidence)   # distinct scores (evidence.py)
    related: dict[int, frozenset] = field(default_factory=dict)

    confidence: float = 1.0      # how sure the reading of the needs is (experts; see reading_confidence)
    media: frozenset = frozenset()   # the utilities the posting names (config.UTILITY_MEDIA)
    matched: dict[int, list[str]] = field(default_factory=dict)   # candidate id → the posting's words it repeats

    def __post_init__(self):
        self.related = {n.area_id: self.taxonomy.areas[n.area_id].related for n in self.needs.main}


def explanation(zh: str, en: str) -> dict:
    return {"zh-hans": zh, "en": en}


@lru_cache(maxsize=4096)
def media_of(text: str) -> frozenset:
    """The utilities (config.UTILITY_MEDIA) `text` names."""
    return frozenset(medium for medium, words in config.UTILITY_MEDIA.items() if any(w in text for w in words))


def level_of(ctx: Context, c: Candidate, area_id: int) -> int:
    """The candidate's level in an area for this posting: one less when the posting names a utility and the
    profile's evidence for the area names only others (the same area, another plant system)."""
    level, evidence = c.areas.get(area_id, (0, ""))
    if level and ctx.media and evidence and other_medium(ctx, evidence):
        return level - 1
    return level


def other_medium(ctx: Context, evidence: str) -> frozenset:
    named = media_of(evidence)
    return named if named and not (named & ctx.media) else frozenset()


def reading_confidence(needs: Needs) -> float:
    """How sure the reading of the needs is: READING_FLOOR for a reading from nothing, 1 from READING_SURE on."""
    share = min(1.0, needs.strength / config.READING_SURE) if config.READING_SURE else 1.0
    return config.READING_FLOOR + (1 - config.READING_FLOOR) * share


# --- skill ------------------------------------------------------------------------------------

def grade(main_level: int, second_level, has_second: bool, adjacent: bool) -> int:
    if main_level == 3 and (not has_second or second_level >= 2):
        return 3
    if main_level >= 2 or (main_level >= 1 and has_second and second_level >= 1):
        return 2
    if main_level == 1 or (has_second and second_level >= 1) or adjacent:
        return 1
    return 0


def expected_gain(ctx: Context, c: Candidate, cap=None) -> float:
    """Expected 2^grade − 1 over the readings of the needs, over the best gain; `cap(grade)` adjusts a grade."""
    needs = ctx.needs
    if not needs.main:
        return 0.0
    areas = c.areas
    total = 0.0
    for main in needs.main:
        main_level = level_of(ctx, c, main.area_id)
        related = ctx.related[main.area_id]
        adjacent = main_level < 2 and any(a in related and lv >= 2 for a, (lv, _) in areas.items())
        if needs.secondary:
            for second in needs.secondary:
                g = grade(main_level, level_of(ctx, c, second.area_id), True, adjacent)
                total += main.share * second.share * config.GRADE_GAIN[cap(g) if cap else g]
        else:
            g = grade(main_level, 0, False, adjacent)
            total += main.share * config.GRADE_GAIN[cap(g) if cap else g]
    return total / config.MAX_GAIN


def skill_reason(ctx: Context, c: Candidate) -> dict:
    taxonomy, needs = ctx.taxonomy, ctx.needs
    parts_zh, parts_en = [], []
    for need in needs.main[:2] + needs.secondary[:1]:
        area = taxonomy.areas[need.area_id]
        terms = "、".join(need.terms[:2])
        if need.area_id in c.areas:
            evidence = c.areas[need.area_id][1]
            zh_level, en_level = LEVEL_LABELS[level_of(ctx, c, need.area_id)]
            other = "、".join(sorted(other_medium(ctx, evidence))) if ctx.media else ""
            note_zh = f"；经验在另一介质：{other}" if other else ""
            note_en = f"; experience with another utility: {other}" if other else ""
            parts_zh.append(f"{zh_level} {area.name}（需求：{terms}；依据：{evidence}{note_zh}）")
            parts_en.append(f"{en_level} {area.name_en} (asked: {terms}; from: {evidence}{note_en})")
        elif any(a in area.related and lv >= 2 for a, (lv, _) in c.areas.items()):
            parts_zh.append(f"相关领域可协助 {area.name}（需求：{terms}）")
            parts_en.append(f"adjacent to {area.name_en} (asked: {terms})")
    if not parts_zh and not needs.main:
        return explanation("未识别出需求的技能领域，按需求原文的具体证据排序",
                           "No skill area recognised in the challenge: ranked on the evidence in its text")
    if not parts_zh:
        parts_zh.append("未掌握所需技能领域")
        parts_en.append("No needed skill area in the profile")
    if ctx.confidence < 1.0:
        share = round(ctx.confidence * 100)
        parts_zh.append(f"需求领域识别把握 {share}%，更看重具体证据")
        parts_en.append(f"reading of the needs {share}% sure, specific evidence weighs more")
    return explanation("；".join(parts_zh), "; ".join(parts_en))


# --- category ---------------------------------------------------------------------------------

def category_value(ctx: Context, c: Candidate) -> float:
    total = same = 0
    areas = ctx.taxonomy.areas
    for area_id, (level, _) in c.areas.items():
        total += level
        if areas[area_id].category == ctx.category:
            same += level
    return same / total if total else 0.0


def category_reason(ctx: Context, c: Candidate) -> dict:
    value = category_value(ctx, c)
    zh, en = CATEGORY_NAMES.get(ctx.category, (ctx.category, ctx.category))
    return explanation(f"{round(value * 100)}% 的专长属于{zh}", f"{round(value * 100)}% of the expertise is {en}")


# --- region -----------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def province_names(code: str) -> tuple[str, str]:
    try:
        with translation.override("zh-hans"):
            return str(Province(code).label), PROVINCE_ENGLISH.get(code, code)
    except ValueError:
        return code or "未知", code or "unknown"


def region_value(ctx: Context, c: Candidate) -> float:
    """Locality to the challenge's enterprise: same city > same province > elsewhere."""
    if c.province and c.province == ctx.province:
        return config.REGION_VALUES["same_city" if c.city and c.city == ctx.city else "same_province"]
    return config.REGION_VALUES["elsewhere"]


def region_reason(ctx: Context, c: Candidate) -> dict:
    zh, en = province_names(c.province)
    if c.province and c.province == ctx.province:
        if c.city and c.city == ctx.city:
            return explanation(f"同城：{c.city}", f"Same city: {c.city}")
        return explanation(f"同省：{zh}", f"Same province: {en}")
    return explanation(f"外省：{zh}", f"Other province: {en}")


def _soft_cap(g: int) -> int:
    return min(g, 2)


def _strict_cap(g: int) -> int:
    return max(0, g - 1)


def preferred_region_value(ctx: Context, c: Candidate, gain: float) -> float:
    """Outside the preferred province help counts for less: graded at most 2 (soft) or one grade less (strict)."""
    if c.province == ctx.preferred_province:
        return config.REGION_VALUES["preferred"]
    return expected_gain(ctx, c, cap=_strict_cap if ctx.strict else _soft_cap) - gain


def preferred_region_reason(ctx: Context, c: Candidate) -> dict:
    zh, en = province_names(ctx.preferred_province)
    if c.province == ctx.preferred_province:
        return explanation(f"位于期望地区：{zh}", f"In the preferred province: {en}")
    rule_zh, rule_en = ("必须", "required") if ctx.strict else ("优先", "preferred")
    return explanation(f"不在期望地区（{rule_zh}{zh}）", f"Outside the {rule_en} province ({en})")


# --- availability and track record ------------------------------------------------------------

def availability_value(ctx: Context, c: Candidate) -> float:
    return -1.0 if not c.accepting or c.holding >= c.capacity else 0.0


def availability_reason(ctx: Context, c: Candidate) -> dict:
    if not c.accepting:
        return explanation("暂不接受结对", "Not accepting pairings")
    if c.holding >= c.capacity:
        return explanation(f"已满负荷（{c.holding}/{c.capacity}）", f"At capacity ({c.holding}/{c.capacity})")
    free = c.capacity - c.holding
    return explanation(f"可接受结对（剩余 {free} 个名额）", f"Available ({free} free)")


def track_record_value(ctx: Context, c: Candidate) -> float:
    if not c.completed:
        return 0.0
    experience = min(1.0, c.completed / 3)
    return experience * (((c.mean_rating - 3) / 2) if c.mean_rating is not None else 0.5)


def track_record_reason(ctx: Context, c: Candidate) -> dict:
    if not c.completed:
        return explanation("暂无已完成结对", "No completed pairing yet")
    if c.mean_rating is None:
        return explanation(f"已完成结对 {c.completed} 次", f"{c.completed} completed pairings")
    return explanation(f"已完成结对 {c.completed} 次，平均评分 {c.mean_rating:.1f}",
                       f"{c.completed} completed pairings, mean rating {c.mean_rating:.1f}")


# --- text -------------------------------------------------------------------------------------

def text_value(ctx: Context, c: Candidate) -> float:
    return c.text_score / ctx.best_text if ctx.best_text > 0 else 0.0


def evidence_value(ctx: Context, c: Candidate) -> float:
    """Specific evidence: how far the profile stands out from the pack in naming the posting's rarer words
    (evidence.py): a profile naming the posting's machine, product and symptom does, profiles that merely
    master the guessed area do not."""
    return specific.value(ctx.evidence, c.id)


def evidence_reason(ctx: Context, c: Candidate) -> dict:
    value = evidence_value(ctx, c)
    words = "、".join(ctx.matched.get(c.id, ()))
    if value <= 0 and not words:
        return explanation("简介未写到需求原文中的具体事物", "The profile names nothing specific from the posting")
    if value <= 0:
        return explanation(f"未比其他候选人更具体（共同用词：{words}）",
                           f"No more specific than the other candidates (shared words: {words})")
    return explanation(f"具体证据 {value:.2f}：简介写到需求原文的 {words}",
                       f"Specific evidence {value:.2f}: the profile names {words} from the posting")


def text_reason(ctx: Context, c: Candidate) -> dict:
    value = text_value(ctx, c)
    return explanation(f"与需求原文用词的相关度 {value:.2f}（最相关的候选人为 1）",
                       f"Wording close to the posting: {value:.2f} (1 for the closest candidate)")


REASONS = {
    "text": text_reason, "evidence": evidence_reason, "skill": skill_reason, "category": category_reason, "region": region_reason,
    "preferred_region": preferred_region_reason, "availability": availability_reason,
    "track_record": track_record_reason,
}
