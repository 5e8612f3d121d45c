"""GraphQL of the skill taxonomy: the Skill type and `skills(category:, parent:, topLevel:)`."""
import graphene
from graphene_django.filter import TypedFilter

from jianglian.graphql.enums import CategoryEnum
from jianglian.graphql.types import ConnectionField, CountableConnection, JLObjectType, Node

from .. import filters, selectors
from ..models import Skill


class SkillFilter(filters.SkillFilter):
    category = TypedFilter(input_type=CategoryEnum)
    parent = TypedFilter(field_name="parent__code", input_type=graphene.String, label="上级领域的代码")


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


class SkillQueries(graphene.ObjectType):
    skills = ConnectionField(SkillType, filterset_class=SkillFilter, description="技能分类")
