import graphene

from enterprises.graphql.types import ChallengeType
from jianglian.graphql.types import get_visible

from .types import MAX_FIRST, MatchKindEnum, MatchType, resolve_matches


class MatchingQuery(graphene.ObjectType):
    challenge_matches = graphene.List(
        graphene.NonNull(MatchType), required=True,
        challenge=graphene.ID(required=True),
        first=graphene.Int(default_value=20, description=f"at most {MAX_FIRST}"),
        type=MatchKindEnum(default_value="expert"),
        description="一项需求的匹配结果（仅发布企业与秘书处可见） / a challenge's ranked matches",
    )

    def resolve_challenge_matches(root, info, challenge, first=20, type="expert"):
        return resolve_matches(get_visible(info, ChallengeType, challenge), info, first=first, type=type)
