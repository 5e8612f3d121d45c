"""Mutations of matching. They translate input and call matching.services."""
import graphene

from enterprises.graphql.types import ChallengeType
from jianglian.graphql.types import load_visible

from .. import services


class RefreshChallengeMatches(graphene.Mutation):
    """Rank a challenge now: an open one is recomputed, a draft gets a preview (seen by its enterprise and the
    secretariat only, replaced on publishing). Its enterprise and the secretariat may (FORBIDDEN otherwise);
    a paired, resolved or closed challenge is no longer ranked (CONFLICT, reason `challenge_not_rankable`).
    The computation is queued: read the result with `challengeMatches` or `Challenge.matches`."""

    class Meta:
        name = "RefreshChallengeMatchesPayload"

    class Arguments:
        challenge = graphene.ID(required=True)

    challenge = graphene.Field(ChallengeType, required=True)

    def mutate(root, info, challenge):
        challenge = load_visible(info, ChallengeType, challenge)
        return RefreshChallengeMatches(
            challenge=services.challenge_matches_request(user=info.context.user, challenge=challenge))


class MatchingMutation(graphene.ObjectType):
    refresh_challenge_matches = RefreshChallengeMatches.Field()
