"""Keep matches current: an expert's profile change re-derives its areas and re-ranks the challenges it affects;
a challenge that reopens is ranked afresh.

Work is queued on commit (matching.tasks.refresh_experts, one task per transaction), never done inside the saving
request.
"""
from django.db.models.signals import m2m_changed, post_delete, post_save

from jianglian.transactions import on_commit_collect

PROFILE_FIELDS = {"skill_tags", "bio", "achievements", "province", "city", "studio", "capacity",
                  "accepting_pairings"}


def queue_expert_refresh(expert_id: int) -> None:
    on_commit_collect("matching.refresh_expert", [expert_id], _send_expert_refreshes)


def _send_expert_refreshes(expert_ids) -> None:
    """One task for every expert a transaction changed: its challenges are re-ranked once, not once per expert."""
    from .tasks import refresh_experts

    refresh_experts.delay(sorted(expert_ids))


def _send_studio_refreshes(studio_ids) -> None:
    from .tasks import refresh_experts

    refresh_experts.delay([], sorted(studio_ids))


def studio_profiles_changed(sender, studio_ids=(), **kwargs):
    """Studios written in bulk (alliance.signals.studios_changed, sent by a roster import): their areas are derived
    anew, once, after the commit."""
    on_commit_collect("matching.refresh_studio", studio_ids, _send_studio_refreshes)


def expert_profiles_changed(sender, expert_ids=(), studio_ids=(), **kwargs):
    """Experts written in bulk (experts.signals.profiles_changed, sent by a roster import): the same refresh as
    a saved profile, for all of them at once, after the commit."""
    on_commit_collect("matching.refresh_expert", expert_ids, _send_expert_refreshes)
    on_commit_collect("matching.refresh_studio", studio_ids, _send_studio_refreshes)


def expert_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & PROFILE_FIELDS):
        return
    queue_expert_refresh(instance.pk)


def expert_skills_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # skill.experts.add(...): instance is a Skill
        for expert_id in pk_set or ():
            queue_expert_refresh(expert_id)
    else:
        queue_expert_refresh(instance.pk)


def pairing_saved(sender, instance, raw=False, **kwargs):
    """A pairing taken or released changes the expert's free capacity, so the availability signal."""
    if not raw:
        queue_expert_refresh(instance.expert_id)


def challenge_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A challenge whose status changes to a ranked one is ranked afresh: a paired challenge reopened after
    its pairing was terminated was frozen meanwhile (publishing queues its own computation; one per commit)."""
    from .selectors import RANKED_STATES
    from .services import queue_match_computation

    if raw or created or not update_fields or "status" not in update_fields:
        return
    if instance.status in RANKED_STATES:
        queue_match_computation(instance)


def skill_changed(sender, raw=False, **kwargs):
    """A skill added, edited or deleted (admin, API, load_taxonomy): candidates' areas are derived anew,
    once per transaction, after it commits."""
    from .engine.taxonomy import forget_taxonomy

    if raw:
        return
    forget_taxonomy()
    on_commit_collect("matching.taxonomy_changed", [True], _send_taxonomy_refresh)


def related_skills_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        skill_changed(sender)


def _send_taxonomy_refresh(_) -> None:
    from .tasks import taxonomy_changed

    taxonomy_changed.delay()


def connect() -> None:
    from enterprises.models import Challenge
    from experts.models import Expert, Skill

    from .models import PairingAgreement

    from alliance.signals import studios_changed
    from experts.signals import profiles_changed

    post_save.connect(expert_saved, sender=Expert, dispatch_uid="matching.expert_saved")
    profiles_changed.connect(expert_profiles_changed, sender=Expert, dispatch_uid="matching.expert_profiles_changed")
    studios_changed.connect(studio_profiles_changed, dispatch_uid="matching.studio_profiles_changed")
    m2m_changed.connect(expert_skills_changed, sender=Expert.skills.through, dispatch_uid="matching.expert_skills")
    post_save.connect(pairing_saved, sender=PairingAgreement, dispatch_uid="matching.pairing_saved")
    post_save.connect(skill_changed, sender=Skill, dispatch_uid="matching.skill_saved")
    post_delete.connect(skill_changed, sender=Skill, dispatch_uid="matching.skill_deleted")
    m2m_changed.connect(related_skills_changed, sender=Skill.related.through, dispatch_uid="matching.skill_related")
    post_save.connect(challenge_saved, sender=Challenge, dispatch_uid="matching.challenge_saved")
