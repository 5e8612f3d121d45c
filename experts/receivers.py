"""experts tells the layers below it that the skill taxonomy changed: `search.signals.taxonomy_changed` is sent
for every skill added, edited, deleted or re-related, whoever wrote it (admin, API, load_taxonomy). The search
engine (its segmenter's words) and matching (candidate areas, rankings) listen to it."""
from django.db.models.signals import m2m_changed, post_delete, post_save

from search.signals import taxonomy_changed

from .models import Skill


def skill_changed(sender, raw=False, **kwargs):
    if not raw:  # loaddata: the fixture's rows are not an edit
        taxonomy_changed.send(sender=Skill)


def related_skills_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        taxonomy_changed.send(sender=Skill)


def connect() -> None:
    post_save.connect(skill_changed, sender=Skill, dispatch_uid="experts.skill_saved")
    post_delete.connect(skill_changed, sender=Skill, dispatch_uid="experts.skill_deleted")
    m2m_changed.connect(related_skills_changed, sender=Skill.related.through, dispatch_uid="experts.skill_related")
