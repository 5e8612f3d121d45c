"""Upsert the curated taxonomy into Skill rows, idempotently."""
from django.db import transaction

from search.signals import taxonomy_changed

from ..models import Skill
from .data import AREAS, MERGED


def load_taxonomy(areas=AREAS, merged=MERGED) -> dict:
    """Create or update one top-level Skill per area and its adjacency; returns counts.

    Curated edits made in the admin to areas that are not in `areas` are left alone; areas that
    are in it are brought back to the curated text. A load that changed anything sends
    `taxonomy_changed` (as each skill save does): after it commits, the search segmenter rereads its
    words and matching re-derives the candidates' areas, once.
    """
    created = updated = changed = 0
    with transaction.atomic():
        by_code = {}
        for area in areas:
            fields = {
                "name": area["name"],
                "name_en": area["name_en"],
                "category": area["category"],
                "parent": None,
                "synonyms": list(area["synonyms"]),
                "problems": list(area["problems"]),
            }
            # Not get_or_create: its savepoint per area would split the one after-commit refresh of this load.
            skill = Skill.objects.filter(code=area["code"]).first()
            if skill is None:
                skill = Skill.objects.create(code=area["code"], **fields)
                created += 1
            elif any(getattr(skill, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(skill, name, value)
                skill.save()
                updated += 1
            by_code[area["code"]] = skill
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
    return {"areas": len(areas), "created": created, "updated": updated}
