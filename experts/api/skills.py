"""REST /api/v1/skills/: the skill taxonomy (public; the secretariat curates it). Rules live in experts.services."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariatOrReadOnly
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputModelSerializer
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..filters import SkillFilter
from ..models import Skill


class SkillSerializer(OutputModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    parent_code = serializers.SlugRelatedField(source="parent", slug_field="code", read_only=True, allow_null=True)

    select_related = ("parent",)

    class Meta:
        model = Skill
        fields = ("id", "code", "name", "name_en", "category", "category_label", "parent", "parent_code",
                  "synonyms", "problems", "description")
        read_only_fields = fields


class SkillCreateSerializer(StrictInputModelSerializer):
    synonyms = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    problems = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Skill
        fields = ("code", "name", "name_en", "category", "parent", "synonyms", "problems", "description")


class SkillUpdateSerializer(SkillCreateSerializer):
    class Meta(SkillCreateSerializer.Meta):
        fields = ("name", "name_en", "category", "parent", "synonyms", "problems", "description")


@extend_schema_view(
    list=extend_schema(summary=summary("技能分类列表", "List the skill taxonomy")),
    retrieve=extend_schema(summary=summary("技能详情", "Retrieve a skill")),
    create=extend_schema(summary=summary("新增技能（秘书处）", "Create a skill (secretariat)")),
    partial_update=extend_schema(summary=summary("修改技能（秘书处）", "Update a skill (secretariat)")),
)
class SkillViewSet(ServiceViewSet):
    output_serializer_class = SkillSerializer
    create_serializer_class = SkillCreateSerializer
    update_serializer_class = SkillUpdateSerializer
    permission_classes = [IsSecretariatOrReadOnly]
    filterset_class = SkillFilter
    ordering_fields = ("code", "name", "category", "id")
    ordering = ("code",)

    def select(self):
        return selectors.skill_list()

    def create_object(self, data):
        return services.skill_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.skill_update(user=self.request.user, skill=instance, **data)


router = SimpleRouter()
router.register("skills", SkillViewSet, basename="skill")
urlpatterns = router.urls
