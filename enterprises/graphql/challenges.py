"""GraphQL of challenges: the Challenge type (with its ranked `matches`), `challenges(…)` and the
challenge mutations. They translate input and call enterprises.services / selectors."""
import graphene

from experts.graphql.skills import SkillType, skills_from_ids
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node
from matching.graphql.conflicts import exclusions_field
from matching.graphql.matches import matches_field
from matching.graphql.similar import similar_field

from .. import filters, selectors, services
from ..models import Challenge
from .enterprises import EnterpriseType

ChallengeStatusEnum = enum_from_choices(Challenge.Status, "ChallengeStatus", "需求状态")
RegionStrictnessEnum = enum_from_choices(Challenge.RegionStrictness, "RegionStrictness", "地区要求")


class ChallengeType(VisibleObjectType):
    """Open, paired and resolved challenges are public; drafts and closed ones only to their enterprise."""

    enterprise = graphene.Field(EnterpriseType, required=True)
    category = CategoryEnum(required=True)
    skills = graphene.List(graphene.NonNull(SkillType), required=True)
    preferred_province = ProvinceEnum()
    region_strictness = RegionStrictnessEnum(required=True)
    status = ChallengeStatusEnum(required=True)
    matches = matches_field()
    exclusions = exclusions_field()
    similar = similar_field()

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
    client_mutation_id = client_mutation_id_argument()


class UpdateChallengeInput(ChallengeFieldsInput, graphene.InputObjectType):
    """Only the fields given change."""


def _preferred_province(fields: dict) -> dict:
    """A preferred province given as null means none (the empty code)."""
    if fields.get("preferred_province", "") is None:
        fields["preferred_province"] = ""
    return fields


class _ChallengePayload(ServiceMutation):
    class Meta:
        abstract = True

    challenge = graphene.Field(ChallengeType, required=True)


CHALLENGE = Load(ChallengeType, to="challenge")


class CreateChallenge(_ChallengePayload):
    """A draft challenge of one of the caller's enterprises."""

    class Meta:
        name = "CreateChallengePayload"
        load = {"enterprise": Load(EnterpriseType), "skills": skills_from_ids}
        idempotent = True

    class Arguments:
        input = CreateChallengeInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.challenge_create(user=user, **_preferred_province(fields))


class UpdateChallenge(_ChallengePayload):
    """Edit a draft or open challenge of the caller's enterprise."""

    class Meta:
        name = "UpdateChallengePayload"
        load = {"id": CHALLENGE, "skills": skills_from_ids}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateChallengeInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.challenge_update(user=user, **_preferred_province(fields))


class PublishChallenge(_ChallengePayload):
    """draft → open (the enterprise must be verified)."""

    class Meta:
        name = "PublishChallengePayload"
        service = services.challenge_publish
        load = {"id": CHALLENGE}

    class Arguments:
        id = graphene.ID(required=True)


class CloseChallenge(_ChallengePayload):
    """draft/open → closed, by the enterprise or the secretariat."""

    class Meta:
        name = "CloseChallengePayload"
        service = services.challenge_close
        load = {"id": CHALLENGE}

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String()


class ChallengeMutations(graphene.ObjectType):
    create_challenge = CreateChallenge.Field()
    update_challenge = UpdateChallenge.Field()
    publish_challenge = PublishChallenge.Field()
    close_challenge = CloseChallenge.Field()
