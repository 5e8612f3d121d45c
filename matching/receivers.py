"""Keep matches current. This module is the one place that decides when challenges are ranked again:
- a challenge published, or an open one whose text, category, region or skills change, is ranked afresh;
  a challenge that reopens (its pairing terminated) too;
- an expert's profile change (or a pairing taken or released, which changes the expert's free capacity)
  re-derives the expert's areas and re-ranks the challenges it affects; experts and studios written in bulk
  (a roster import: experts.signals.profiles_changed, alliance.signals.studios_changed) likewise, at once;
- a taxonomy change (search.signals.taxonomy_changed, sent by experts) re-derives every candidate's areas
  and re-ranks the open challenges;
- what changes a conflict of interest (matching.conflicts) re-ranks the open challenges it touches
  (conflicts.conflict_scope, before and after the change): an expert's employer, account, studio (a member
  joining or leaving a studio) or declared conflicts; a studio's host enterprise or lead; an enterprise's staff
  accounts, group or name (enterprises.signals.group_changed); experts and studios written in bulk. Whoever
  writes them — pages, REST, GraphQL, the admin, a roster import — since these are model signals.
The apps below never call matching: matching listens to their models and signals. Besides these, a ranking
is computed when someone asks for it (services.challenge_matches_request).

Work is queued on commit (matching.tasks, one task per transaction), never done inside the saving request.
"""
from django.db.models.signals import m2m_changed, post_save, pre_save

from alliance.models import Studio
from alliance.signals import studios_changed
from enterprises.models import Challenge, Enterprise
from enterprises.signals import group_changed
from experts.models import Expert
from experts.signals import profiles_changed
from jianglian.transactions import on_commit_collect
from search.signals import taxonomy_changed

from .engine.taxonomy import forget_taxonomy
from .models import PairingAgreement
from .selectors import RANKED_STATES
from .services import queue_match_computation
from .tasks import refresh_experts, rerank_after_conflicts_change, rerank_after_taxonomy_change

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
    queue_conflict_rerank(studio_ids=studio_ids)


def expert_profiles_changed(sender, expert_ids=(), studio_ids=(), **kwargs):
    """Experts written in bulk (experts.signals.profiles_changed, sent by a roster import): the same refresh as
    a saved profile, for all of them at once, after the commit. Their conflicts of interest as they are now
    (their employers, the studios they joined) re-rank the challenges they touch."""
    on_commit_collect("matching.refresh_expert", expert_ids, _send_expert_refreshes)
    on_commit_collect("matching.refresh_studio", studio_ids, _send_studio_refreshes)
    queue_conflict_rerank(expert_ids=expert_ids, studio_ids=studio_ids)


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
    """An expert declared or withdrew a conflict of interest: the open challenges of the enterprises declared or
    withdrawn (and of their groups) are ranked again, for the expert and the expert's studio."""
    if action == "pre_clear":  # expert.conflicts.clear(): the declarations, before they are gone
        if reverse:
            queue_conflict_rerank(enterprise_ids=[instance.pk])
        else:
            queue_conflict_rerank(enterprise_ids=instance.conflicts.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove"):
        return
    queue_conflict_rerank(enterprise_ids=[instance.pk] if reverse else pk_set or ())


def enterprise_staff_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    """An account added to or removed from an enterprise's staff: when it is an expert's, the expert (and the
    expert's studio) gains or loses a conflict with that enterprise's challenges (and its group's)."""
    if action not in ("pre_clear", "post_add", "post_remove"):
        return
    if reverse:  # user.enterprises.add(...): instance is the account, pk_set its enterprises
        if not Expert.objects.filter(user_id=instance.pk).exists():
            return
        enterprise_ids = (instance.enterprises.values_list("pk", flat=True) if action == "pre_clear"
                          else pk_set or ())
    else:  # enterprise.staff.add(...): instance is the enterprise, pk_set the accounts
        accounts = instance.staff.all() if action == "pre_clear" else pk_set or ()
        if not Expert.objects.filter(user__in=accounts).exists():
            return
        enterprise_ids = [instance.pk]
    queue_conflict_rerank(enterprise_ids=enterprise_ids)


def enterprise_group_changed(sender, enterprise_ids=(), **kwargs):
    """An enterprise's group or name changed: the open challenges of every enterprise named are ranked again."""
    queue_conflict_rerank(enterprise_ids=enterprise_ids)


# What a conflict of interest is read from on an expert and a studio (matching.conflicts): a save changing one
# re-ranks what the values before and after touch.
CONFLICT_FIELDS = {Expert: ("employer", "studio", "user"), Studio: ("host_enterprise", "lead")}
_STORED = "_matching_conflict_fields_stored"


def queue_conflict_rerank(*, enterprise_ids=(), names=(), expert_ids=(), studio_ids=(), user_ids=()) -> None:
    """After the commit, once per transaction: rank again the open challenges whose conflicts of interest these
    facts touch (matching.conflicts.conflict_scope, read then)."""
    items = [*(("enterprise", pk) for pk in enterprise_ids), *(("name", name) for name in names if name),
             *(("expert", pk) for pk in expert_ids), *(("studio", pk) for pk in studio_ids),
             *(("user", pk) for pk in user_ids if pk)]
    on_commit_collect("matching.rerank_after_conflicts_change", items, _send_conflict_reranks)


def _send_conflict_reranks(items) -> None:
    facts = {"enterprise": [], "name": [], "expert": [], "studio": [], "user": []}
    for kind, value in items:
        facts[kind].append(value)
    rerank_after_conflicts_change.delay(
        enterprise_ids=sorted(facts["enterprise"]), names=sorted(facts["name"]), expert_ids=sorted(facts["expert"]),
        studio_ids=sorted(facts["studio"]), user_ids=sorted(facts["user"]))


def conflict_fields_before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    """Before a save that may change what a conflict is read from: note the stored values (one query, only then)
    for `conflict_fields_saved` to compare with."""
    if raw or instance.pk is None:
        return
    attnames = [sender._meta.get_field(name).attname for name in CONFLICT_FIELDS[sender]]
    if update_fields is not None:
        attnames = [a for a in attnames if {a, a.removesuffix("_id")} & set(update_fields)]
    if attnames:
        stored = sender._default_manager.using(using).filter(pk=instance.pk).values(*attnames).first()
        if stored is not None:
            instance.__dict__[_STORED] = stored


def conflict_fields_saved(sender, instance, created=False, raw=False, **kwargs):
    """An expert whose employer, account or studio changed, a studio whose host enterprise or lead changed: the
    challenges the old and the new values touch are ranked again. A new expert joining a studio counts too."""
    stored = instance.__dict__.pop(_STORED, None)
    if raw:
        return
    if created:
        if sender is Expert and instance.studio_id:
            queue_conflict_rerank(expert_ids=[instance.pk])
        return
    changed = {name: old for name, old in (stored or {}).items() if getattr(instance, name) != old}
    if not changed:
        return
    if sender is Expert:
        queue_conflict_rerank(expert_ids=[instance.pk], names=[changed.get("employer")],
                              user_ids=[changed.get("user_id")])
    else:
        queue_conflict_rerank(studio_ids=[instance.pk], names=[changed.get("host_enterprise")],
                              expert_ids=[changed["lead_id"]] if changed.get("lead_id") else [])


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
    m2m_changed.connect(enterprise_staff_changed, sender=Enterprise.staff.through,
                        dispatch_uid="matching.enterprise_staff")
    group_changed.connect(enterprise_group_changed, dispatch_uid="matching.enterprise_group_changed")
    for model in CONFLICT_FIELDS:
        pre_save.connect(conflict_fields_before_save, sender=model, dispatch_uid=f"matching.conflicts_before_{model}")
        post_save.connect(conflict_fields_saved, sender=model, dispatch_uid=f"matching.conflicts_saved_{model}")
    post_save.connect(pairing_saved, sender=PairingAgreement, dispatch_uid="matching.pairing_saved")
    post_save.connect(challenge_saved, sender=Challenge, dispatch_uid="matching.challenge_saved")
    m2m_changed.connect(challenge_skills_changed, sender=Challenge.skills.through,
                        dispatch_uid="matching.challenge_skills")
    taxonomy_changed.connect(taxonomy_change_received, dispatch_uid="matching.taxonomy_changed")
