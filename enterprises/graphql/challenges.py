"""GraphQL of challenges: the Challenge type (with its ranked `matches`), `challenges(…)` and the
challenge mutations. They translate input and call enterprises.services / selectors."""
import graphene

from experts.graphql.skills import SkillType, skills_from_ids
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.types import (
    ConnectionField, CountableConnection, JLObjectType, Node, get_visible, load_visible, require_login,
)
from matching.graphql.matches import matches_field

from .. import filters, selectors, services
from ..models import Challenge
from .enterprises import EnterpriseType

ChallengeStatusEnum = enum_from_choices(Challenge.Status, "ChallengeStatus", "需求状态")
RegionStrictnessEnum = enum_from_choices(Challenge.RegionStrictness, "RegionStrictness", "地区要求")


class ChallengeType(JLObjectType):
    """Open, paired and resolved challenges are public; drafts and closed ones only to their enterprise."""

    enterprise = graphene.Field(EnterpriseType, required=True)
    category = CategoryEnum(required=True)
    skills = graphene.List(graphene.NonNull(SkillType), required=True)
    preferred_province = ProvinceEnum()
    region_strictness = RegionStrictnessEnum(required=True)
    status = ChallengeStatusEnum(required=True)
    matches = matches_field()

    class Meta:
        model = Challenge
        name = "Challenge"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "enterprise", "title", "description", "category", "skills", "preferred_province",
            "preferred_city", "region_strictness", "status", "created_at", "updated_at", "published_at",
            "closed_at",
        )

    unscoped = frozenset({"enterprise"})  # whoever sees a challenge sees who posted it

    @classmethod
    def visible(cls, info):
        return selectors.challenge_list(user=info.context.user)

    def resolve_enterprise(root, info):
        return root.enterprise

    def resolve_skills(root, info):
        return root.skills.all()

    def resolve_preferred_province(root, info):
        return root.preferred_province or None


class ChallengeQueries(graphene.ObjectType):
    challenges = ConnectionField(ChallengeType, filterset_class=filters.ChallengeFilter, description="企业需求")


class ChallengeFieldsInput:
    title = graphene.String()
    description = graphene.String()
    category = CategoryEnum()
    skills = graphene.List(graphene.NonNull(graphene.ID), description="Skill ids")
    preferred_province = ProvinceEnum()
    preferred_city = graphene.String()
    region_strictness = RegionStrictnessEnum()


class CreateChallengeInput(ChallengeFieldsInput, graphene.InputObjectType):
    enterprise = graphene.ID(required=True, description="One of the caller's enterprises")
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    category = CategoryEnum(required=True)


class UpdateChallengeInput(ChallengeFieldsInput, graphene.InputObjectType):
    """Only the fields given change."""


def _challenge_fields(info, data: dict) -> dict:
    fields = dict(data)
    if "skills" in fields:
        fields["skills"] = skills_from_ids(info, fields["skills"] or [])
    if fields.get("preferred_province", "") is None:
        fields["preferred_province"] = ""
    return fields


class CreateChallenge(graphene.Mutation):
    """A draft challenge of one of the caller's enterprises."""

    class Meta:
        name = "CreateChallengePayload"

    class Arguments:
        input = CreateChallengeInput(required=True)

    challenge = graphene.Field(ChallengeType, required=True)

    def mutate(root, info, input):
        user = require_login(info)
        fields = _challenge_fields(info, input)
        enterprise = get_visible(info, EnterpriseType, fields.pop("enterprise"))
        challenge = services.challenge_create(user=user, enterprise=enterprise, **fields)
        return CreateChallenge(challenge=challenge)


class UpdateChallenge(graphene.Mutation):
    """Edit a draft or open challenge of the caller's enterprise."""

    class Meta:
        name = "UpdateChallengePayload"

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateChallengeInput(required=True)

    challenge = graphene.Field(ChallengeType, required=True)

    def mutate(root, info, id, input):
        challenge = load_visible(info, ChallengeType, id)
        challenge = services.challenge_update(user=info.context.user, challenge=challenge,
                                              **_challenge_fields(info, input))
        return UpdateChallenge(challenge=challenge)


class PublishChallenge(graphene.Mutation):
    """draft → open (the enterprise must be verified)."""

    class Meta:
        name = "PublishChallengePayload"

    class Arguments:
        id = graphene.ID(required=True)

    challenge = graphene.Field(ChallengeType, required=True)

    def mutate(root, info, id):
        challenge = load_visible(info, ChallengeType, id)
        return PublishChallenge(challenge=services.challenge_publish(user=info.context.user, challenge=challenge))


class CloseChallenge(graphene.Mutation):
    """draft/open → closed, by the enterprise or the secretariat."""

    class Meta:
        name = "CloseChallengePayload"

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()

    challenge = graphene.Field(ChallengeType, required=True)

    def mutate(root, info, id, reason=""):
        challenge = load_visible(info, ChallengeType, id)
        challenge = services.challenge_close(user=info.context.user, challenge=challenge, reason=reason or "")
        return CloseChallenge(challenge=challenge)


class ChallengeMutations(graphene.ObjectType):
    create_challenge = CreateChallenge.Field()
    update_challenge = UpdateChallenge.Field()
    publish_challenge = PublishChallenge.Field()
    close_challenge = CloseChallenge.Field()
