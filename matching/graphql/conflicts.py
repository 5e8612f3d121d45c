"""GraphQL of conflicts of interest: `Challenge.exclusions` and `challengeExclusions(challenge:)` — the experts
left out of a challenge's ranking and why, for the secretariat only (FORBIDDEN for anyone else: the enterprise
never sees who was left out). The rule lives in matching.conflicts; these only translate.

enterprises.graphql.challenges imports `exclusions_field` from here for `Challenge.exclusions`, so this module
names ChallengeType lazily."""
import graphene

from enterprises.graphql.enterprises import EnterpriseType
from experts.graphql.experts import ExpertType
from jianglian.graphql.types import get_visible

from alliance.graphql.studios import StudioType

from ..conflicts import DECLARED, EMPLOYER, HOST, MEMBER, STAFF, exclusion_list, studio_exclusion_list
from ..selectors import reason_language

ConflictReasonCodeEnum = graphene.Enum(
    "ConflictReasonCode", [("EMPLOYER", EMPLOYER), ("STAFF", STAFF), ("DECLARED", DECLARED)],
    description="employer: 工作单位 / works there; staff: 企业账号 / holds an account of it; "
                "declared: 本人申报 / declared by the expert")


class ConflictReasonType(graphene.ObjectType):
    """One reason an expert is left out of a challenge's ranking."""

    class Meta:
        name = "ConflictReason"

    code = ConflictReasonCodeEnum(required=True)
    enterprise = graphene.Field(EnterpriseType, required=True)
    same_group = graphene.Boolean(required=True, description="该企业是发布企业同一集团的另一家企业 / another "
                                                             "enterprise of the posting enterprise's group")
    explanation = graphene.String(required=True, lang=graphene.String(description="zh-hans | en"))

    def resolve_code(root, info):
        return root.code

    def resolve_explanation(root, info, lang=None):
        return root.explanation(reason_language(lang))


class ExclusionType(graphene.ObjectType):
    """An expert never ranked for a challenge, with every reason (a conflict of interest)."""

    class Meta:
        name = "Exclusion"

    expert = graphene.Field(ExpertType, required=True)
    reasons = graphene.List(graphene.NonNull(ConflictReasonType), required=True)


def resolve_exclusions(challenge, info, **kwargs):
    return exclusion_list(user=info.context.user, challenge=challenge)


def exclusions_field(**kwargs):
    """`exclusions` — add to a type whose root is a Challenge."""
    return graphene.List(
        graphene.NonNull(ExclusionType), required=True, resolver=resolve_exclusions,
        description="因利益冲突未参与排名的劳模工匠及原因（仅秘书处） / experts left out of the ranking for a "
                    "conflict of interest, and why (the secretariat only)",
        **kwargs,
    )


StudioConflictReasonCodeEnum = graphene.Enum(
    "StudioConflictReasonCode", [("HOST", HOST), ("MEMBER", MEMBER)],
    description="host: 依托单位 / its host enterprise; member: 成员存在利益冲突 / a member has a conflict of interest")


class StudioConflictReasonType(graphene.ObjectType):
    """One reason a studio is left out of a challenge's ranking."""

    class Meta:
        name = "StudioConflictReason"

    code = StudioConflictReasonCodeEnum(required=True)
    enterprise = graphene.Field(EnterpriseType, description="host: the posting enterprise or one of its group")
    same_group = graphene.Boolean(required=True)
    member = graphene.Field(ExpertType, description="member: the member left out")
    explanation = graphene.String(required=True, lang=graphene.String(description="zh-hans | en"))

    def resolve_code(root, info):
        return root.code

    def resolve_explanation(root, info, lang=None):
        return root.explanation(reason_language(lang))


class StudioExclusionType(graphene.ObjectType):
    """A studio never ranked for a challenge, with every reason (a conflict of interest)."""

    class Meta:
        name = "StudioExclusion"

    studio = graphene.Field(StudioType, required=True)
    reasons = graphene.List(graphene.NonNull(StudioConflictReasonType), required=True)


def challenge_type():
    from enterprises.graphql.challenges import ChallengeType

    return ChallengeType


class ConflictQueries(graphene.ObjectType):
    challenge_exclusions = graphene.List(
        graphene.NonNull(ExclusionType), required=True, challenge=graphene.ID(required=True),
        description="一项需求的回避名单（仅秘书处） / the experts left out of a challenge's ranking (secretariat)",
    )

    def resolve_challenge_exclusions(root, info, challenge):
        return exclusion_list(user=info.context.user, challenge=get_visible(info, challenge_type(), challenge))

    challenge_studio_exclusions = graphene.List(
        graphene.NonNull(StudioExclusionType), required=True, challenge=graphene.ID(required=True),
        description="一项需求的工作室回避名单（仅秘书处） / the studios left out of a challenge's ranking (secretariat)",
    )

    def resolve_challenge_studio_exclusions(root, info, challenge):
        return studio_exclusion_list(user=info.context.user,
                                     challenge=get_visible(info, challenge_type(), challenge))
