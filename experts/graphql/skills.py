"""GraphQL of the skill taxonomy: the Skill type and `skills(category:, parent:, topLevel:)`."""
import graphene
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

from jianglian.graphql.enums import CategoryEnum
from jianglian.graphql.types import ConnectionField, CountableConnection, JLObjectType, Node, get_visible_many

from .. import filters, selectors
from ..models import Skill


class SkillType(JLObjectType):
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
