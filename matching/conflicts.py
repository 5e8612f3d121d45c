"""Conflicts of interest: which experts are never ranked for a challenge, and why. The one rule: the ranking
(matching.services.challenge_matches_compute leaves them out before scoring) and the proposal rule
(matching.pairings.selectors.invitee_refusal: Conflict `conflict_of_interest`, 409) both read it here.

An expert has a conflict with a challenge when, for its enterprise or any enterprise of the same group
(所属集团: enterprises.selectors.group_members):
- `employer`: the expert's 工作单位 is that enterprise (its name, up to spaces and the width of brackets);
- `staff`: the expert's account is one of that enterprise's accounts;
- `declared`: the expert declared a conflict with that enterprise on their profile (Expert.conflicts).
A group counts from the day an enterprise names it, before the secretariat verifies it: leaving an expert out
is the safe side. The enterprise never learns who was left out; the secretariat sees it (`exclusion_list`).

A studio (创新工作室) has a conflict with a challenge when:
- `host`: its 依托单位 (host enterprise) is the posting enterprise or an enterprise of its group (by name, as for
  an expert's employer): the studio is that enterprise's own;
- `member`: one of its members (its lead included) has a conflict with the challenge, for any reason above: a
  studio answers as a team, and the member's interest would come with it.
Such a studio is never ranked for the challenge (`excluded_studio_ids`); the secretariat sees which and why
(`studio_exclusion_list`).

What a change of these facts touches (`conflict_scope`): the open challenges of the enterprises it names and of
their groups. matching.receivers queue their ranking again whenever one changes (issue 11: a studio newly in
conflict stayed ranked until something else re-ranked).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Replace
from django.utils.translation import gettext as _

from alliance.models import Studio
from enterprises.models import Challenge, Enterprise
from enterprises.selectors import group_members
from experts.models import Expert
from jianglian.errors import Conflict, NotAllowed
from jianglian.roles import is_secretariat

from .selectors import RANKED_STATES, reason_language

EMPLOYER, STAFF, DECLARED = "employer", "staff", "declared"
REASON_CODES = (EMPLOYER, STAFF, DECLARED)
HOST, MEMBER = "host", "member"
STUDIO_REASON_CODES = (HOST, MEMBER)

_TEXTS = {
    (EMPLOYER, False): ("工作单位是发布需求的企业「{name}」", "works for the posting enterprise, {name}"),
    (EMPLOYER, True): ("工作单位「{name}」与发布需求的企业同属一个集团",
                       "works for {name}, of the posting enterprise's group"),
    (STAFF, False): ("本人账号是发布需求的企业「{name}」的企业账号", "holds an account of the posting enterprise, {name}"),
    (STAFF, True): ("本人账号是同一集团企业「{name}」的企业账号",
                    "holds an account of {name}, of the posting enterprise's group"),
    (DECLARED, False): ("本人申报与「{name}」存在利益冲突", "declared a conflict of interest with {name}"),
    (DECLARED, True): ("本人申报与同一集团企业「{name}」存在利益冲突",
                       "declared a conflict of interest with {name}, of the posting enterprise's group"),
}


@dataclass(frozen=True)
class ConflictReason:
    """One reason an expert is left out: `code` (employer | staff | declared), with which enterprise, and
    whether that enterprise is another member of the posting enterprise's group."""

    code: str
    enterprise: Enterprise
    same_group: bool

    def explanation(self, language: str = "zh-hans") -> str:
        zh, en = _TEXTS[(self.code, self.same_group)]
        return (en if language == "en" else zh).format(name=self.enterprise.name)


@dataclass(frozen=True)
class Exclusion:
    """An expert left out of a challenge's ranking, with every reason."""

    expert: Expert
    reasons: tuple[ConflictReason, ...]


def name_variants(name: str) -> list[str]:
    """The spellings of an enterprise name an expert's 工作单位 may hold: as registered, without spaces, with
    full-width or half-width brackets."""
    bare = "".join((name or "").split())
    variants = {name, bare, bare.replace("(", "（").replace(")", "）"), bare.replace("（", "(").replace("）", ")")}
    return sorted(v for v in variants if v)


def _group_by_name(enterprise) -> tuple[dict[int, Enterprise], dict[str, Enterprise]]:
    """The enterprise's group ({id: enterprise}, itself included) and each member by every spelling of its name."""
    members = {e.pk: e for e in group_members(enterprise)}
    members.setdefault(enterprise.pk, enterprise)
    by_name: dict[str, Enterprise] = {}
    for member in members.values():
        for variant in name_variants(member.name):
            by_name.setdefault(variant, member)
    return members, by_name


def challenge_exclusions(challenge) -> dict[int, tuple[ConflictReason, ...]]:
    """{expert id: reasons} of every expert with a conflict of interest with `challenge`, read now. Four queries
    whatever the number of experts (indexed: the employer's name, the staff and the declarations by
    enterprise)."""
    enterprise = challenge.enterprise
    members, by_name = _group_by_name(enterprise)
    found: dict[int, dict[tuple[str, int], ConflictReason]] = {}

    def add(expert_id, code, enterprise_id):
        member = members[enterprise_id]
        found.setdefault(expert_id, {})[(code, enterprise_id)] = ConflictReason(
            code=code, enterprise=member, same_group=enterprise_id != enterprise.pk)

    for expert_id, employer in Expert.objects.filter(employer__in=list(by_name)).values_list("id", "employer"):
        add(expert_id, EMPLOYER, by_name[employer].pk)
    for expert_id, enterprise_id in Expert.objects.filter(
        user__enterprises__in=list(members)
    ).values_list("id", "user__enterprises"):
        add(expert_id, STAFF, enterprise_id)
    for expert_id, enterprise_id in Expert.conflicts.through.objects.filter(
        enterprise_id__in=list(members)
    ).values_list("expert_id", "enterprise_id"):
        add(expert_id, DECLARED, enterprise_id)
    order = {code: i for i, code in enumerate(REASON_CODES)}
    exclusions = {
        expert_id: tuple(sorted(reasons.values(), key=lambda r: (r.same_group, order[r.code], r.enterprise.pk)))
        for expert_id, reasons in found.items()
    }
    return exclusions


def _exclusions_of_object(challenge) -> dict[int, tuple[ConflictReason, ...]]:
    """`challenge_exclusions`, read once per challenge object: a page asking for each ranked expert of one
    challenge (whether they may be invited) reads them once. Services lock and load the challenge afresh."""
    cached = getattr(challenge, "_cached_exclusions", None)
    if cached is None:
        cached = challenge._cached_exclusions = challenge_exclusions(challenge)
    return cached


def _group_names(challenge) -> tuple[list[int], list[str]]:
    """(ids, name spellings) of the enterprises of `challenge`'s enterprise's group."""
    members = dict(group_members(challenge.enterprise).values_list("pk", "name"))
    members.setdefault(challenge.enterprise.pk, challenge.enterprise.name)
    return list(members), sorted({v for name in members.values() for v in name_variants(name)})


def excluded_expert_ids(challenge) -> frozenset[int]:
    """The experts the ranking of `challenge` leaves out before scoring: the same rule as `challenge_exclusions`,
    ids only, in two queries (the group, then one UNION of the three reasons)."""
    ids, names = _group_names(challenge)
    by_employer = Expert.objects.filter(employer__in=names).order_by().values_list("id", flat=True)
    by_account = Expert.objects.filter(user__enterprises__in=ids).order_by().values_list("id", flat=True)
    by_declaration = (Expert.conflicts.through.objects.filter(enterprise_id__in=ids).order_by()
                      .values_list("expert_id", flat=True))
    return frozenset(by_employer.union(by_account, by_declaration))


def conflict_refusal(challenge, expert: Expert) -> Conflict | None:
    """Conflict `conflict_of_interest` (409) with the reasons when `expert` may not be paired with `challenge`."""
    reasons = _exclusions_of_object(challenge).get(expert.pk)
    if not reasons:
        return None
    language = reason_language()
    explained = ("; " if language == "en" else "；").join(r.explanation(language) for r in reasons)
    return Conflict(_("该劳模工匠与本需求存在利益冲突，不能结对：%(reasons)s。") % {"reasons": explained},
                    code="conflict_of_interest")


def can_see_exclusions(user, challenge=None) -> bool:
    """Who was left out, and why, is the secretariat's to see: never the enterprise's (nor anyone else's)."""
    return is_secretariat(user)


def exclusion_list(*, user, challenge) -> list[Exclusion]:
    """The experts left out of `challenge`'s ranking with their reasons, by name: the secretariat only
    (NotAllowed otherwise). Five queries whatever the number of experts."""
    if not can_see_exclusions(user, challenge):
        raise NotAllowed(_("只有秘书处可以查看回避名单。"))
    exclusions = challenge_exclusions(challenge)
    experts = Expert.objects.filter(pk__in=list(exclusions)).order_by("name", "pk")
    return [Exclusion(expert=expert, reasons=exclusions[expert.pk]) for expert in experts]


# --- studios ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StudioConflictReason:
    """One reason a studio is left out: `host` (its host enterprise is `enterprise`, of the posting enterprise's
    group when `same_group`) or `member` (`member` has a conflict with the challenge, for `member_reasons`)."""

    code: str
    enterprise: Enterprise | None = None
    same_group: bool = False
    member: Expert | None = None
    member_reasons: tuple[ConflictReason, ...] = ()

    def explanation(self, language: str = "zh-hans") -> str:
        if self.code == HOST:
            if self.same_group:
                zh, en = "依托单位「{name}」与发布需求的企业同属一个集团", "hosted by {name}, of the posting enterprise's group"
            else:
                zh, en = "依托单位是发布需求的企业「{name}」", "hosted by the posting enterprise, {name}"
            return (en if language == "en" else zh).format(name=self.enterprise.name)
        why = ("; " if language == "en" else "；").join(r.explanation(language) for r in self.member_reasons)
        if language == "en":
            return f"its member {self.member.name} has a conflict of interest ({why})"
        return f"成员「{self.member.name}」存在利益冲突（{why}）"


@dataclass(frozen=True)
class StudioExclusion:
    """A studio left out of a challenge's ranking, with every reason."""

    studio: Studio
    reasons: tuple[StudioConflictReason, ...]


def excluded_studio_ids(challenge, excluded_experts: frozenset[int] | None = None) -> frozenset[int]:
    """The studios the ranking of `challenge` leaves out before scoring (host or member, as above). Pass the
    experts already left out (`excluded_expert_ids`) to save reading them again: then two queries."""
    ids, names = _group_names(challenge)
    experts = excluded_expert_ids(challenge) if excluded_experts is None else excluded_experts
    by_host = Studio.objects.filter(host_enterprise__in=names).order_by().values_list("id", flat=True)
    if not experts:
        return frozenset(by_host)
    by_member = Expert.objects.filter(pk__in=list(experts), studio__isnull=False).order_by().values_list(
        "studio_id", flat=True)
    by_lead = Studio.objects.filter(lead_id__in=list(experts)).order_by().values_list("id", flat=True)
    return frozenset(by_host.union(by_member, by_lead))


def studio_exclusions(challenge) -> dict[int, tuple[StudioConflictReason, ...]]:
    """{studio id: reasons} of every studio with a conflict of interest with `challenge`, read now."""
    enterprise = challenge.enterprise
    _, by_name = _group_by_name(enterprise)
    found: dict[int, list[StudioConflictReason]] = {}
    for studio_id, host in Studio.objects.filter(host_enterprise__in=list(by_name)).values_list("id", "host_enterprise"):
        host_enterprise = by_name[host]
        found.setdefault(studio_id, []).append(StudioConflictReason(
            code=HOST, enterprise=host_enterprise, same_group=host_enterprise.pk != enterprise.pk))
    experts = challenge_exclusions(challenge)
    if experts:
        seen = set()
        rows = [(e, e.studio_id) for e in Expert.objects.filter(pk__in=list(experts), studio__isnull=False)]
        rows += [(s.lead, s.pk) for s in Studio.objects.filter(lead_id__in=list(experts)).select_related("lead")]
        for expert, studio_id in sorted(rows, key=lambda row: (row[0].name, row[0].pk)):
            if (studio_id, expert.pk) not in seen:
                seen.add((studio_id, expert.pk))
                found.setdefault(studio_id, []).append(StudioConflictReason(
                    code=MEMBER, member=expert, member_reasons=experts[expert.pk]))
    return {studio_id: tuple(reasons) for studio_id, reasons in found.items()}


def studio_exclusion_list(*, user, challenge) -> list[StudioExclusion]:
    """The studios left out of `challenge`'s ranking with their reasons, by name: the secretariat only
    (NotAllowed otherwise)."""
    if not can_see_exclusions(user, challenge):
        raise NotAllowed(_("只有秘书处可以查看回避名单。"))
    exclusions = studio_exclusions(challenge)
    studios = Studio.objects.filter(pk__in=list(exclusions)).order_by("name", "pk")
    return [StudioExclusion(studio=studio, reasons=exclusions[studio.pk]) for studio in studios]


# --- what a change touches -------------------------------------------------------------------------------------

def _name_key(name: str) -> str:
    """One spelling per name: no spaces, half-width brackets (every spelling `name_variants` allows maps to it)."""
    return "".join((name or "").split()).replace("（", "(").replace("）", ")")


def named_enterprise_ids(names) -> set[int]:
    """The enterprises a 工作单位 or 依托单位 spelled as one of `names` designates, by the rule above (the name as
    registered, or without spaces, with either bracket width). One query."""
    names = {name for name in names if name}
    if not names:
        return set()
    key = Replace(Replace(Replace(Replace("name", Value(" "), Value("")), Value("\u3000"), Value("")),
                          Value("（"), Value("(")), Value("）"), Value(")"))
    candidates = Enterprise.objects.annotate(name_key=key).filter(
        name_key__in={_name_key(name) for name in names}).values_list("pk", "name")
    return {pk for pk, registered in candidates if names & set(name_variants(registered))}


def conflict_scope(*, enterprise_ids=(), names=(), expert_ids=(), studio_ids=(), user_ids=()) -> list[int]:
    """The open challenges whose conflicts of interest may change when these facts change, read now: those of
    the enterprises `enterprise_ids`, of the enterprises `names` designate (an expert's 工作单位, a studio's
    依托单位, before or after the change), of the enterprises the experts `expert_ids` have a conflict with (their
    employer, the enterprises of their account, their declarations: a studio they join or leave changes for
    these), of the host enterprises and leads of `studio_ids`, of the enterprises of the accounts `user_ids` (an
    expert's account before it changed), and of every enterprise of those groups. A handful of queries whatever
    the numbers."""
    ids = set(enterprise_ids)
    if user_ids:
        ids |= set(Enterprise.staff.through.objects.filter(user_id__in=list(user_ids))
                   .values_list("enterprise_id", flat=True))
    names = set(names)
    experts = set(expert_ids)
    if studio_ids:
        for host, lead_id in Studio.objects.filter(pk__in=list(studio_ids)).values_list("host_enterprise", "lead_id"):
            names.add(host)
            if lead_id:
                experts.add(lead_id)
    if experts:
        names |= set(Expert.objects.filter(pk__in=list(experts)).values_list("employer", flat=True))
        ids |= set(Enterprise.staff.through.objects.filter(user__expert__in=list(experts))
                   .values_list("enterprise_id", flat=True))
        ids |= set(Expert.conflicts.through.objects.filter(expert_id__in=list(experts))
                   .values_list("enterprise_id", flat=True))
    ids |= named_enterprise_ids(names)
    if not ids:
        return []
    roots = Enterprise.objects.filter(pk__in=list(ids)).values_list(Coalesce("group_id", "id"), flat=True)
    groups = Enterprise.objects.filter(Q(pk__in=roots) | Q(group_id__in=roots)).values_list("pk", flat=True)
    return sorted(Challenge.objects.filter(enterprise_id__in=groups, status__in=RANKED_STATES)
                  .values_list("pk", flat=True))
