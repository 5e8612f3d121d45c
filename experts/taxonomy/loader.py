"""Merge the shipped taxonomy (data.py) into the Skill rows: what the file adds arrives, what the secretariat
curated stays.

`./dev serve` runs it at every start, so it must never undo the secretariat's work:
- a new area of the file is created, with its words recorded as the file's (SkillWord, source taxonomy);
- a field of an existing area (name, English name, category, parent) is brought to the file's value only while
  the secretariat has not set it (`Skill.curated_fields`, kept by experts.services);
- a synonym or problem word of the file that the skill does not have is added (again, after an edit that
  bypassed the services) — unless the secretariat removed it (its SkillWord says so); words the secretariat
  added are never removed, and neither is any other word: the file only adds;
- related areas and merged codes are only added, as before.
Words in force from before words had records are recorded on the way (the file's when the file has them, else
the secretariat's), so the first run after the upgrade loses nothing either.
"""
from django.db import transaction

from search.signals import taxonomy_changed

from ..models import Skill, SkillWord
from .data import AREAS, MERGED

WORD_FIELDS = ((SkillWord.Kind.SYNONYM, "synonyms"), (SkillWord.Kind.PROBLEM, "problems"))


def load_taxonomy(areas=AREAS, merged=MERGED) -> dict:
    """Merge `areas` into the Skill rows (see the module); returns counts. A load that changed anything sends
    `taxonomy_changed` once: after it commits, the search segmenter rereads its words and matching re-derives
    the candidates' areas."""
    created = updated = words_added = changed = 0
    with transaction.atomic():
        existing = {s.code: s for s in Skill.objects.filter(code__in=[a["code"] for a in areas])}
        records, removed = {}, set()
        for skill_id, kind, word, removed_at in SkillWord.objects.filter(skill__in=list(existing.values())).values_list(
                "skill_id", "kind", "word", "removed_at"):
            records.setdefault(skill_id, set()).add((kind, word))
            if removed_at is not None:
                removed.add((skill_id, kind, word))
        new_records = []
        by_code = {}
        for area in areas:
            fields = {"name": area["name"], "name_en": area["name_en"], "category": area["category"], "parent": None}
            # Not get_or_create: its savepoint per area would split the one after-commit refresh of this load.
            skill = existing.get(area["code"])
            if skill is None:
                skill = Skill.objects.create(code=area["code"], synonyms=list(area["synonyms"]),
                                             problems=list(area["problems"]), **fields)
                new_records += [SkillWord(skill=skill, kind=kind, word=word, source=SkillWord.Source.TAXONOMY)
                                for kind, key in WORD_FIELDS for word in area[key]]
                created += 1
                by_code[area["code"]] = skill
                continue
            curated = set(skill.curated_fields or ())
            dirty = [name for name, value in fields.items() if name not in curated and getattr(skill, name) != value]
            for name in dirty:
                setattr(skill, name, fields[name])
            known = records.get(skill.pk, set())
            for kind, key in WORD_FIELDS:
                words = list(getattr(skill, key) or [])
                for word in words:  # in force without a record (from before records): recorded now
                    if (kind, word) not in known:
                        source = SkillWord.Source.TAXONOMY if word in area[key] else SkillWord.Source.SECRETARIAT
                        new_records.append(SkillWord(skill=skill, kind=kind, word=word, source=source))
                        known.add((kind, word))
                # the file's words the skill lacks, unless the secretariat removed them
                added = [w for w in area[key] if w not in words and (skill.pk, kind, w) not in removed]
                if added:
                    new_records += [SkillWord(skill=skill, kind=kind, word=w, source=SkillWord.Source.TAXONOMY)
                                    for w in added if (kind, w) not in known]
                    known |= {(kind, w) for w in added}
                    setattr(skill, key, words + added)
                    dirty.append(key)
                    words_added += len(added)
            if dirty:
                skill.save(update_fields=dirty)
                updated += 1
            by_code[area["code"]] = skill
        SkillWord.objects.bulk_create(new_records, batch_size=1000)
        for area in areas:
            wanted = {by_code[code].pk for code in area["related"]}
            skill = by_code[area["code"]]
            current = set(skill.related.values_list("pk", flat=True))
            missing = wanted - current
            if missing:
                skill.related.add(*missing)
                changed += 1
        for old_code, new_code in merged.items():
            changed += (Skill.objects.filter(code=old_code).exclude(parent=by_code[new_code])
                        .update(parent=by_code[new_code]))  # an update() sends no post_save
        if created or updated or changed:
            taxonomy_changed.send(sender=Skill)
    return {"areas": len(areas), "created": created, "updated": updated, "words_added": words_added}
