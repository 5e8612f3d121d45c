"""Mutations of enterprises and challenges. They translate input and call enterprises.services."""
import graphene

from enterprises import services
from jianglian.graphql.enums import CategoryEnum, IndustryEnum, ProvinceEnum
from jianglian.graphql.types import get_visible, load_visible, require_login, skills_from_ids

from .types import ChallengeType, EnterpriseSizeEnum, EnterpriseType, RegionStrictnessEnum


class RegisterEnterpriseInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    credit_code = graphene.String(required=True, description="统一社会信用代码（18 位，含校验位）")
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    industry = IndustryEnum()
    size = EnterpriseSizeEnum()
    description = graphene.String()


class RegisterEnterprise(graphene.Mutation):
    """The caller registers an enterprise and becomes its staff; the secretariat verifies it later."""

    class Meta:
        name = "RegisterEnterprisePayload"

    class Arguments:
        input = RegisterEnterpriseInput(required=True)

    enterprise = graphene.Field(EnterpriseType, required=True)

    def mutate(root, info, input):
        user = require_login(info)
        enterprise = services.enterprise_register(user=user, **dict(input))
        return RegisterEnterprise(enterprise=enterprise)


class VerifyEnterprise(graphene.Mutation):
    """Secretariat only."""

    class Meta:
        name = "VerifyEnterprisePayload"

    class Arguments:
        id = graphene.ID(required=True)

    enterprise = graphene.Field(EnterpriseType, required=True)

    def mutate(root, info, id):
        enterprise = load_visible(info, EnterpriseType, id)
        return VerifyEnterprise(enterprise=services.enterprise_verify(user=info.context.user, enterprise=enterprise))


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


class EnterprisesMutation(graphene.ObjectType):
    register_enterprise = RegisterEnterprise.Field()
    verify_enterprise = VerifyEnterprise.Field()
    create_challenge = CreateChallenge.Field()
    update_challenge = UpdateChallenge.Field()
    publish_challenge = PublishChallenge.Field()
    close_challenge = CloseChallenge.Field()
