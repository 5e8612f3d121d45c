"""GraphQL of the skill taxonomy: the Skill type, `skills(category:, parent:, topLevel:)`, `createSkill` and
`updateSkill` (secretariat). They translate input and call experts.services / selectors."""
import graphene
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from jianglian.graphql.enums import CategoryEnum
from jianglian.graphql.mutations import Load, Role, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node, get_visible_many

from .. import filters, selectors, services
from ..models import Skill


class SkillType(VisibleObjectType):
    category = CategoryEnum(required=True)
    parent = graphene.Field(lambda: SkillType)
    synonyms = graphene.List(graphene.NonNull(graphene.String), required=True)
    problems = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = Skill
        name = "Skill"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "code", "name", "name_en", "category", "parent", "synonyms", "problems", "description")

    @classmethod
    def visible(cls, info):
        return selectors.skill_list()

    def resolve_parent(root, info):
        return root.parent


def skills_from_ids(info, global_ids):
    """Skills for a list of global ids (every input that takes skills); unknown ids are bad input on the
    `skills` field."""
    try:
        return get_visible_many(info, SkillType, global_ids)
    except ObjectDoesNotExist:
        raise ValidationError({"skills": [_("技能不存在 / Unknown skill.")]}) from None


class SkillQueries(graphene.ObjectType):
    skills = ConnectionField(SkillType, filterset_class=filters.SkillFilter, description="技能分类")


class SkillFields:
    name = graphene.String()
    name_en = graphene.String()
    category = CategoryEnum()
    parent = graphene.ID(description="上级领域 (Skill id)")
    synonyms = graphene.List(graphene.NonNull(graphene.String))
    problems = graphene.List(graphene.NonNull(graphene.String))
    description = graphene.String()


class CreateSkillInput(SkillFields, graphene.InputObjectType):
    code = graphene.String(required=True, description="代码，如 pumps-seals")
    name = graphene.String(required=True)


class UpdateSkillInput(SkillFields, graphene.InputObjectType):
    """Only the fields given change (a skill's code never changes)."""


class _SkillPayload(ServiceMutation):
    class Meta:
        abstract = True

    skill = graphene.Field(SkillType, required=True)


class CreateSkill(_SkillPayload):
    """Secretariat only: add a skill area to the taxonomy."""

    class Meta:
        name = "CreateSkillPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"parent": Load(SkillType)}

    class Arguments:
        input = CreateSkillInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        skill = services.skill_create(user=user, **given(fields))
        skill.refresh_from_db()  # its words were written by skill_words_set
        return skill


class UpdateSkill(_SkillPayload):
    """Secretariat only: change a skill area (its names, category, parent, synonyms …)."""

    class Meta:
        name = "UpdateSkillPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"id": Load(SkillType, to="skill"), "parent": Load(SkillType)}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateSkillInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        skill = services.skill_update(user=user, **fields)
        skill.refresh_from_db()  # its words were written by skill_words_set
        return skill


class SkillMutations(graphene.ObjectType):
    create_skill = CreateSkill.Field()
    update_skill = UpdateSkill.Field()
