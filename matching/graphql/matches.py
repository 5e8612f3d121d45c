"""GraphQL of a challenge's ranking: the Match type (also `Challenge.matches`), `challengeMatches` and
`refreshChallengeMatches`. The rules live in matching.selectors / matching.services; these only translate.

enterprises.graphql.challenges imports `matches_field` from here for `Challenge.matches`, so this module
names ChallengeType by its path (`CHALLENGE`, and a string for the payload field).
"""
import graphene

from alliance.graphql.studios import StudioType
from experts.graphql.experts import ExpertType
from jianglian.graphql.optimizer import collect_fields, prefetches_for
from jianglian.graphql.mutations import Load, ServiceMutation

from .. import services
from ..models import Match
from ..selectors import match_list, match_reasons, reason_language

MAX_FIRST = 100

MatchKindEnum = graphene.Enum("MatchKind", [("EXPERT", "expert"), ("STUDIO", "studio")],
                              description="劳模工匠 / 工作室 — expert or studio")


class MatchReasonType(graphene.ObjectType):
    """One signal of a match's score: score = Σ weight × value."""

    signal = graphene.String(required=True, description="text | skill | category | region | preferred_region | "
                                                        "availability | track_record")
    weight = graphene.Float(required=True)
    value = graphene.Float(required=True)
    explanation = graphene.String(required=True, description="一句说明（zh-hans 或 en）")

    class Meta:
        name = "MatchReason"


class MatchType(graphene.ObjectType):
    """A ranked candidate for a challenge, with the reasons behind its score."""

    rank = graphene.Int(required=True)
    score = graphene.Float(required=True)
    kind = MatchKindEnum(required=True)
    expert = graphene.Field(ExpertType)
    studio = graphene.Field(StudioType)
    reasons = graphene.List(
        graphene.NonNull(MatchReasonType), required=True,
        lang=graphene.String(description="zh-hans | en (default: the request's language)"),
    )
    algorithm_version = graphene.String(required=True)
    computed_at = graphene.DateTime(required=True)

    class Meta:
        name = "Match"

    def resolve_kind(root, info):
        return root.kind

    def resolve_reasons(root, info, lang=None):
        return [MatchReasonType(**reason) for reason in match_reasons(root.breakdown, reason_language(lang))]


def candidate_prefetches(info) -> list:
    """What the selection under `expert` and `studio` needs, prefetched for the whole ranking (the optimizer's
    prefetches of ExpertType / StudioType, moved under the match's relation)."""
    selections = [node.selection_set for node in info.field_nodes if node.selection_set is not None]
    fields = collect_fields(selections, MatchType, info)
    prefetches = []
    for relation, type_cls in (("expert", ExpertType), ("studio", StudioType)):
        below = [node.selection_set for node in fields.get(relation, []) if node.selection_set is not None]
        for prefetch in prefetches_for(type_cls, below, info):
            prefetch.add_prefix(relation)
            prefetches.append(prefetch)
    return prefetches


def resolve_matches(challenge, info, first=20, type="expert", **kwargs):
    """The stored ranking of a challenge the caller may see (its enterprise or the secretariat)."""
    kind = getattr(type, "value", type) or Match.Kind.EXPERT
    first = max(0, min(first or 20, MAX_FIRST))
    return list(
        match_list(user=info.context.user, challenge=challenge, kind=kind)
        .prefetch_related(*candidate_prefetches(info))[:first]
    )


def matches_field(**kwargs):
    """`matches(first:, type:)` — add to a type whose root is a Challenge, with resolver=resolve_matches."""
    return graphene.List(
        graphene.NonNull(MatchType), required=True,
        first=graphene.Int(default_value=20, description=f"at most {MAX_FIRST}"),
        type=MatchKindEnum(default_value="expert"),
        resolver=resolve_matches,
        description="排名结果（仅发布企业与秘书处可见） / ranked matches (the enterprise and the secretariat only)",
        **kwargs,
    )


# enterprises' ChallengeType, by its path: its module imports this one.
CHALLENGE = Load("enterprises.graphql.challenges.ChallengeType")


class MatchQueries(graphene.ObjectType):
    challenge_matches = graphene.List(
        graphene.NonNull(MatchType), required=True,
        challenge=graphene.ID(required=True),
        first=graphene.Int(default_value=20, description=f"at most {MAX_FIRST}"),
        type=MatchKindEnum(default_value="expert"),
        description="一项需求的匹配结果（仅发布企业与秘书处可见） / a challenge's ranked matches",
    )

    def resolve_challenge_matches(root, info, challenge, first=20, type="expert"):
        return resolve_matches(CHALLENGE(info, challenge), info, first=first, type=type)


class RefreshChallengeMatches(ServiceMutation):
    """Rank a challenge now: an open one is recomputed, a draft gets a preview (seen by its enterprise and the
    secretariat only, replaced on publishing). Its enterprise and the secretariat may (FORBIDDEN otherwise);
    a paired, resolved or closed challenge is no longer ranked (CONFLICT, reason `challenge_not_rankable`).
    The computation is queued: read the result with `challengeMatches` or `Challenge.matches`."""

    class Meta:
        name = "RefreshChallengeMatchesPayload"
        service = services.challenge_matches_request
        load = {"challenge": CHALLENGE}

    class Arguments:
        challenge = graphene.ID(required=True)

    challenge = graphene.Field("enterprises.graphql.challenges.ChallengeType", required=True)


class MatchMutations(graphene.ObjectType):
    refresh_challenge_matches = RefreshChallengeMatches.Field()
