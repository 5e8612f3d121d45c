"""What a candidate can do: skill areas with a level, read from tags, taxonomy skills and biography.

Levels follow the words around a mention: 主持/牵头/擅长 → 精通 (3), 参与/熟悉/掌握 → 熟练 (2),
了解 → 了解 (1), 参观/讲座 → only mentioned (0). A plain mention without such a word counts 熟练.
"""
from __future__ import annotations

import re
from collections import defaultdict

from django.db import transaction

from . import config
from .taxonomy import TaxonomyIndex, get_taxonomy

_SENTENCE_RE = re.compile(r"[^。！？!?\n]+")
MIN_CLAUSE_AREA_WEIGHT = 0.6   # one shared problem word in a biography is not yet a skill
EVIDENCE_CHARS = 60

_CUE_LEVELS = (
    (config.PASSING_CUES, 0),
    (config.AWARENESS_CUES, 1),
    (config.PARTICIPATION_CUES, 2),
    (config.LEAD_CUES, 3),
    (config.PRACTICE_CUES, 2),
)


def clause_level(clause: str) -> int | None:
    for cues, level in _CUE_LEVELS:
        if any(cue in clause for cue in cues):
            return level
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text or "") if s.strip()]


def clauses(sentence: str) -> list[str]:
    return [c.strip() for c in re.split(r"[，,；;]", sentence) if c.strip()]


def mask_titles(text: str, titles=()) -> str:
    """`text` with job titles and honours blanked out (same length): a title says what a person is called,
    not what they did, so 首席技师 is no evidence of training and 技术能手 no sign of mastering the next skill."""
    for title in sorted({*config.TITLE_WORDS, *(t for t in titles if t and len(t) >= 2)}, key=len, reverse=True):
        if title in text:
            text = text.replace(title, " " * len(title))
    return text


def text_areas(taxonomy: TaxonomyIndex, text: str, levels: dict, titles=()) -> None:
    """Add the areas mentioned in `text` to `levels` ({area id: (level, evidence)}), keeping the best."""
    for sentence in sentences(text):
        carried = None
        for shown in clauses(sentence):
            clause = mask_titles(shown, titles)
            cue = clause_level(clause)
            if cue is not None:
                carried = cue
            weights = defaultdict(float)
            for hit in taxonomy.find(clause):
                weights[hit.area_id] += hit.evidence * (config.PROFILE_PROBLEM_FACTOR if hit.kind == "problem" else 1.0)
            if not weights:
                continue
            level = cue if cue is not None else (carried if carried is not None else config.DEFAULT_DEPTH)
            for area_id, weight in weights.items():
                if weight >= MIN_CLAUSE_AREA_WEIGHT:
                    _keep_best(levels, area_id, level, shown)


def profile_areas(taxonomy: TaxonomyIndex, *, tags=(), skill_ids=(), texts=(), titles=(),
                  solved=()) -> dict[int, tuple[int, str]]:
    """{area id: (level, evidence)} for one profile; `titles` (job title, position, honours) are never evidence;
    `solved`: (skill id, challenge title, enterprise rating) of the expert's completed pairings — what the person
    did on the platform: 熟练, 精通 when the enterprise rated it 4 or 5."""
    levels: dict[int, tuple[int, str]] = {}
    for skill_id, title, rating in solved:
        area_id = taxonomy.area_of(skill_id)
        if area_id is not None:
            level = config.SOLVED_RATED_DEPTH if rating and rating >= config.SOLVED_GOOD_RATING else config.SOLVED_DEPTH
            _keep_best(levels, area_id, level, f"已完成结对：{title}")
    for tag in tags:
        for hit in taxonomy.find(mask_titles(tag, titles)):
            _keep_best(levels, hit.area_id, config.TAG_DEPTH, tag)
    for skill_id in skill_ids:
        area_id = taxonomy.area_of(skill_id)
        if area_id is not None:
            _keep_best(levels, area_id, config.TAG_DEPTH, taxonomy.areas[area_id].name)
    for text in texts:
        text_areas(taxonomy, text, levels, titles)
    return levels


def _keep_best(levels, area_id, level, evidence):
    current = levels.get(area_id)
    if current is None or level > current[0]:
        levels[area_id] = (level, evidence[:EVIDENCE_CHARS])


# --- storing ----------------------------------------------------------------------------------

def refresh_expert_areas(expert_ids) -> dict[int, list[tuple[int, int]]]:
    """Re-derive and store the areas of these experts; returns {expert id: [(skill id, level)]}."""
    from experts.models import Expert

    taxonomy = get_taxonomy()
    with transaction.atomic():
        # Concurrent refreshes of one expert take turns (else both delete, then both insert: expert_area_once),
        # and each reads the profile as it is once it holds the lock. Locked in id order: no deadlock.
        expert_ids = list(Expert.objects.select_for_update().filter(pk__in=list(expert_ids))
                          .order_by("pk").values_list("pk", flat=True))
        return _store_expert_areas(taxonomy, expert_ids)


def _store_expert_areas(taxonomy, expert_ids) -> dict[int, list[tuple[int, int]]]:
    from experts.models import Expert

    from ..models import ExpertArea, PairingAgreement

    skills = defaultdict(list)
    for expert_id, skill_id in Expert.skills.through.objects.filter(expert_id__in=expert_ids).values_list(
        "expert_id", "skill_id"
    ):
        skills[expert_id].append(skill_id)
    solved = defaultdict(list)
    for expert_id, skill_id, title, rating in PairingAgreement.objects.filter(
        expert_id__in=expert_ids, status=PairingAgreement.Status.COMPLETED, challenge__skills__isnull=False
    ).values_list("expert_id", "challenge__skills", "challenge__title", "enterprise_rating"):
        solved[expert_id].append((skill_id, title, rating))
    rows, result = [], {}
    for expert_id, tags, bio, achievements, title, position in Expert.objects.filter(pk__in=expert_ids).values_list(
        "id", "skill_tags", "bio", "achievements", "professional_title", "position"
    ):
        levels = profile_areas(taxonomy, tags=tags or (), skill_ids=skills[expert_id], texts=(bio, achievements),
                               titles=(title, position), solved=solved[expert_id])
        result[expert_id] = [(area_id, level) for area_id, (level, _) in levels.items()]
        rows.extend(
            ExpertArea(expert_id=expert_id, skill_id=area_id, level=level, evidence=evidence)
            for area_id, (level, evidence) in levels.items()
        )
    ExpertArea.objects.filter(expert_id__in=expert_ids).delete()
    ExpertArea.objects.bulk_create(rows, batch_size=2000)
    return result


def refresh_studio_areas(studio_ids) -> None:
    """A studio masters what its best member masters, plus its declared research directions."""
    from alliance.models import Studio

    taxonomy = get_taxonomy()
    with transaction.atomic():
        # As for experts: one refresh of a studio at a time, reading under the lock (studio_area_once).
        studio_ids = list(Studio.objects.select_for_update().filter(pk__in=list(studio_ids))
                          .order_by("pk").values_list("pk", flat=True))
        _store_studio_areas(taxonomy, studio_ids)


def _store_studio_areas(taxonomy, studio_ids) -> None:
    from alliance.models import Studio

    from ..models import ExpertArea, StudioArea

    levels = defaultdict(dict)
    for studio_id, focus, description in Studio.objects.filter(pk__in=studio_ids).values_list(
        "id", "focus", "description"
    ):
        for area_id, (level, evidence) in profile_areas(taxonomy, tags=focus or (), texts=(description,)).items():
            # a studio's own description says what it works on, not how deep: never more than 熟练
            _keep_best(levels[studio_id], area_id, min(level, config.TAG_DEPTH), evidence)
    for studio_id, skill_id, level, name in ExpertArea.objects.filter(expert__studio_id__in=studio_ids).values_list(
        "expert__studio_id", "skill_id", "level", "expert__name"
    ):
        _keep_best(levels[studio_id], skill_id, level, name)
    rows = [
        StudioArea(studio_id=studio_id, skill_id=area_id, level=level, evidence=evidence)
        for studio_id, areas in levels.items()
        for area_id, (level, evidence) in areas.items()
    ]
    StudioArea.objects.filter(studio_id__in=studio_ids).delete()
    StudioArea.objects.bulk_create(rows, batch_size=2000)


def refresh_all_areas(batch_size: int = 2000, progress=None) -> None:
    """Re-derive every expert's and studio's areas (after the taxonomy changed)."""
    from alliance.models import Studio
    from experts.models import Expert

    ids = list(Expert.objects.values_list("id", flat=True))
    for start in range(0, len(ids), batch_size):
        refresh_expert_areas(ids[start:start + batch_size])
        if progress:
            progress(min(start + batch_size, len(ids)), len(ids))
    studio_ids = list(Studio.objects.values_list("id", flat=True))
    for start in range(0, len(studio_ids), batch_size):
        refresh_studio_areas(studio_ids[start:start + batch_size])
