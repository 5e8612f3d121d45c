"""Expert profile mutation. It translates input and calls experts.services."""
import graphene
from django.utils.translation import gettext as _

from experts import services
from jianglian.errors import NotAllowed
from jianglian.graphql.types import get_visible, require_login, skills_from_ids
from jianglian.roles import expert_of

from .types import ExpertType


class ExpertProfileInput(graphene.InputObjectType):
    """What an expert may change on their own profile. Only the fields given change."""

    bio = graphene.String()
    achievements = graphene.String()
    skill_tags = graphene.List(graphene.NonNull(graphene.String))
    skills = graphene.List(graphene.NonNull(graphene.ID), description="Skill ids")
    capacity = graphene.Int(description="最多同时结对数 (0–20)")
    accepting_pairings = graphene.Boolean()
    accepts_remote = graphene.Boolean()
    phone = graphene.String()
    email = graphene.String()
    position = graphene.String()
    professional_title = graphene.String()
    city = graphene.String()


class UpdateExpertProfile(graphene.Mutation):
    """The caller's own profile; the secretariat may pass `id` to edit any entry."""

    class Meta:
        name = "UpdateExpertProfilePayload"

    class Arguments:
        input = ExpertProfileInput(required=True)
        id = graphene.ID(description="Defaults to the caller's own expert entry")

    expert = graphene.Field(ExpertType, required=True)

    def mutate(root, info, input, id=None):
        user = require_login(info)
        if id is not None:
            expert = get_visible(info, ExpertType, id)
        else:
            expert = expert_of(user)
            if expert is None:
                raise NotAllowed(_("该账号没有劳模工匠档案。"), code="not_an_expert")
        fields = dict(input)
        if "skills" in fields:
            fields["skills"] = skills_from_ids(info, fields["skills"] or [])
        return UpdateExpertProfile(expert=services.expert_update(user=user, expert=expert, **fields))


class ExpertsMutation(graphene.ObjectType):
    update_expert_profile = UpdateExpertProfile.Field()
