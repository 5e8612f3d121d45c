"""GraphQL of an expert's fitting challenges: `fittingChallenges(expert:)` — the open challenges where the engine
ranked the expert, labelled by rank band (前 3 名, 前 10 名, 相关领域可协助), best band first and within a band by
the expert's own fit. The expert (without `expert`: the caller's own) and the secretariat only (FORBIDDEN
otherwise). The rule lives in matching.selectors.fitting_challenge_list; these only translate."""
import graphene

from experts.graphql.experts import ExpertType
from jianglian.graphql.types import get_visible, not_found, require_login
from jianglian.roles import expert_of

from ..selectors import RANK_BANDS, fitting_challenge_list

RankBandEnum = graphene.Enum(
    "RankBand", [(code.upper(), code) for _, code, _ in RANK_BANDS],
    description="top3: 前 3 名; top10: 前 10 名; related: 相关领域可协助 (ranks 11–50)")


class FittingChallengeType(graphene.ObjectType):
    """An open challenge the engine ranked the expert for, with the expert's rank, own fit and band."""

    class Meta:
        name = "FittingChallenge"

    challenge = graphene.Field("enterprises.graphql.challenges.ChallengeType", required=True)
    rank = graphene.Int(required=True, description="该劳模工匠在本需求的排名 / the expert's rank for it")
    score = graphene.Float(required=True, description="匹配得分 / the expert's own fit (match score)")
    band = RankBandEnum(required=True)
    band_label = graphene.String(required=True)

    def resolve_band(root, info):
        return root.band


class FittingQueries(graphene.ObjectType):
    fitting_challenges = graphene.List(
        graphene.NonNull(FittingChallengeType), required=True,
        expert=graphene.ID(description="the Expert's global id; the caller's own expert when left out"),
        description="劳模工匠适合的需求（本人与秘书处可见） / an expert's fitting challenges (the expert and the "
                    "secretariat)",
    )

    def resolve_fitting_challenges(root, info, expert=None):
        user = require_login(info)
        if expert is None:
            own = expert_of(user)
            if own is None:
                raise not_found()
            return fitting_challenge_list(user=user, expert=own)
        return fitting_challenge_list(user=user, expert=get_visible(info, ExpertType, expert))
