"""Keep matches current. This module is the one place that decides when challenges are ranked again:
- a challenge published, or an open one whose text, category, region or skills change, is ranked afresh;
  a challenge that reopens (its pairing terminated) too;
- an expert's profile change (or a pairing taken or released, which changes the expert's free capacity)
  re-derives the expert's areas and re-ranks the challenges it affects; experts and studios written in bulk
  (a roster import: experts.signals.profiles_changed, alliance.signals.studios_changed) likewise, at once;
- a taxonomy change (search.signals.taxonomy_changed, sent by experts) re-derives every candidate's areas
  and re-ranks the open challenges;
- what changes a conflict of interest (matching.conflicts) re-ranks the challenges it touches: an expert's
  employer or declared conflicts (as a profile change), an enterprise's group or name
  (enterprises.signals.group_changed: the open challenges of the enterprises named).
The apps below never call matching: matching listens to their models and signals. Besides these, a ranking
is computed when someone asks for it (services.challenge_matches_request).

Work is queued on commit (matching.tasks, one task per transaction), never done inside the saving request.
"""
from django.db.models.signals import m2m_changed, post_save

from alliance.signals import studios_changed
from enterprises.models import Challenge
from enterprises.signals import group_changed
from experts.models import Expert
from experts.signals import profiles_changed
from jianglian.transactions import on_commit_collect
from search.signals import taxonomy_changed

from .engine.taxonomy import forget_taxonomy
from .models import PairingAgreement
from .selectors import RANKED_STATES
from .services import queue_match_computation
from .tasks import refresh_experts, rerank_after_taxonomy_change

PROFILE_FIELDS = {"skill_tags", "bio", "achievements", "province", "city", "studio", "capacity",
                  "accepting_pairings", "employer"}
# What a challenge is ranked on: an open challenge changing one of these is ranked again.
CHALLENGE_RANKING_FIELDS = {"title", "description", "category", "preferred_province", "preferred_city",
                            "region_strictness"}


def queue_expert_refresh(expert_id: int) -> None:
    on_commit_collect("matching.refresh_expert", [expert_id], _send_expert_refreshes)


def _send_expert_refreshes(expert_ids) -> None:
    """One task for every expert a transaction changed: its challenges are re-ranked once, not once per expert."""
    refresh_experts.delay(sorted(expert_ids))


def _send_studio_refreshes(studio_ids) -> None:
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


def expert_conflicts_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    """An expert declared or withdrew a conflict of interest: the expert's challenges are ranked again (those
    where the expert ranks, and those needing what the expert can do)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # enterprise.declared_conflicts.add(...): instance is an Enterprise
        for expert_id in pk_set or ():
            queue_expert_refresh(expert_id)
    else:
        queue_expert_refresh(instance.pk)


def enterprise_group_changed(sender, enterprise_ids=(), **kwargs):
    """An enterprise's group or name changed: the open challenges of every enterprise named are ranked again."""
    for challenge in Challenge.objects.filter(enterprise_id__in=list(enterprise_ids), status__in=RANKED_STATES):
        queue_match_computation(challenge)


def pairing_saved(sender, instance, raw=False, **kwargs):
    """A pairing taken or released changes the expert's free capacity, so the availability signal."""
    if not raw:
        queue_expert_refresh(instance.expert_id)


def challenge_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A challenge saved (by enterprises.services, which name the fields they change) in a ranked state is
    ranked afresh when its status changed to it (published; reopened after its pairing was terminated, when
    it was frozen meanwhile) or when something it is ranked on changed. One computation per commit."""
    if raw or created or not update_fields or instance.status not in RANKED_STATES:
        return
    if "status" in update_fields or CHALLENGE_RANKING_FIELDS & set(update_fields):
        queue_match_computation(instance)


def challenge_skills_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    """An open challenge's skills changed: it is ranked afresh."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # skill.challenges.add(...): instance is a Skill
        challenges = Challenge.objects.filter(pk__in=pk_set or (), status__in=RANKED_STATES)
    else:
        challenges = [instance] if instance.status in RANKED_STATES else []
    for challenge in challenges:
        queue_match_computation(challenge)


def taxonomy_change_received(sender, **kwargs):
    """A skill added, edited or deleted (admin, API, load_taxonomy): the cached taxonomy is dropped now, and
    candidates' areas are derived anew (and open challenges re-ranked) once per transaction, after it commits."""
    forget_taxonomy()
    on_commit_collect("matching.rerank_after_taxonomy_change", [True], _send_taxonomy_rerank)


def _send_taxonomy_rerank(_) -> None:
    rerank_after_taxonomy_change.delay()


def connect() -> None:
    post_save.connect(expert_saved, sender=Expert, dispatch_uid="matching.expert_saved")
    profiles_changed.connect(expert_profiles_changed, sender=Expert, dispatch_uid="matching.expert_profiles_changed")
    studios_changed.connect(studio_profiles_changed, dispatch_uid="matching.studio_profiles_changed")
    m2m_changed.connect(expert_skills_changed, sender=Expert.skills.through, dispatch_uid="matching.expert_skills")
    m2m_changed.connect(expert_conflicts_changed, sender=Expert.conflicts.through,
                        dispatch_uid="matching.expert_conflicts")
    group_changed.connect(enterprise_group_changed, dispatch_uid="matching.enterprise_group_changed")
    post_save.connect(pairing_saved, sender=PairingAgreement, dispatch_uid="matching.pairing_saved")
    post_save.connect(challenge_saved, sender=Challenge, dispatch_uid="matching.challenge_saved")
    m2m_changed.connect(challenge_skills_changed, sender=Challenge.skills.through,
                        dispatch_uid="matching.challenge_skills")
    taxonomy_changed.connect(taxonomy_change_received, dispatch_uid="matching.taxonomy_changed")
