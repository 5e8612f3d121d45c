"""GraphQL of "has this been solved before?": `Challenge.similar(first:)` and `similarChallenges(title:,
description:, first:)` — the most similar paired and resolved challenges, their public facts, outcome and
solver. The rule lives in matching.similar; these only translate.

enterprises.graphql.challenges imports `similar_field` from here for `Challenge.similar`, so this module names
ChallengeType lazily (a string)."""
import graphene

from alliance.graphql.studios import StudioType
from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import CategoryEnum
from jianglian.graphql.types import require_login

from ..similar import DEFAULT_FIRST, MAX_FIRST, similar_challenges, similar_to_text


class SimilarChallengeType(graphene.ObjectType):
    """A paired or resolved challenge like the one asked about: what is public about it (title, category, region,
    status), the outcome of its pairing and who solved it. Never its description or outcome text."""

    class Meta:
        name = "SimilarChallenge"

    id = graphene.ID(required=True, description="the Challenge's global id")
    title = graphene.String(required=True)
    category = CategoryEnum(required=True)
    status = graphene.String(required=True, description="paired | resolved")
    province = graphene.String(required=True, description="the posting enterprise's province (code)")
    city = graphene.String(required=True)
    problems_solved = graphene.Int(description="解决问题数 / problems solved")
    savings_yuan = graphene.Decimal(description="节约金额（元） / yuan saved")
    rating = graphene.Int(description="企业评分 1–5 / the enterprise's rating")
    expert = graphene.Field(ExpertType, description="结对的劳模工匠 / the expert who took it on")
    studio = graphene.Field(StudioType, description="其所在工作室 / the expert's studio")
    score = graphene.Float(required=True, description="相似度（BM25） / similarity (BM25)")

    def resolve_id(root, info):
        return graphene.relay.Node.to_global_id("Challenge", root.challenge.pk)

    def resolve_title(root, info):
        return root.challenge.title

    def resolve_category(root, info):
        return root.challenge.category

    def resolve_status(root, info):
        return root.challenge.status

    def resolve_province(root, info):
        return root.challenge.enterprise.province

    def resolve_city(root, info):
        return root.challenge.enterprise.city


FIRST_DESCRIPTION = f"at most {MAX_FIRST}"


def resolve_similar(challenge, info, first=DEFAULT_FIRST):
    return similar_challenges(user=info.context.user, challenge=challenge, first=first)


def similar_field(**kwargs):
    """`similar(first:)` — add to a type whose root is a Challenge the caller may see."""
    return graphene.List(
        graphene.NonNull(SimilarChallengeType), required=True, resolver=resolve_similar,
        first=graphene.Int(default_value=DEFAULT_FIRST, description=FIRST_DESCRIPTION),
        description="以前解决过吗？最相似的已结对、已解决需求 / has this been solved before? The most similar paired "
                    "and resolved challenges",
        **kwargs,
    )


class SimilarQueries(graphene.ObjectType):
    similar_challenges = graphene.List(
        graphene.NonNull(SimilarChallengeType), required=True,
        # `description` is also the field's own keyword: the arguments go in `args`
        args={"title": graphene.String(required=True), "description": graphene.String(),
              "first": graphene.Int(default_value=DEFAULT_FIRST, description=FIRST_DESCRIPTION)},
        description="与一段需求文字最相似的已结对、已解决需求（发布表单用，需登录） / the paired and resolved challenges "
                    "most like a text being typed (the posting form; signed-in users)",
    )

    def resolve_similar_challenges(root, info, title, description="", first=DEFAULT_FIRST):
        user = require_login(info)
        return similar_to_text(user=user, title=title, description=description or "", first=first)
