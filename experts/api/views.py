from drf_spectacular.utils import extend_schema, extend_schema_view

from jianglian.api.permissions import IsSecretariatOrReadOnly, ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from .filters import ExpertApiFilter, SkillApiFilter
from .serializers import (
    ExpertCreateSerializer, ExpertSerializer, ExpertUpdateSerializer, SkillCreateSerializer, SkillSerializer,
    SkillUpdateSerializer,
)


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
    filterset_class = SkillApiFilter
    ordering_fields = ("code", "name", "category", "id")
    ordering = ("code",)

    def select(self):
        return selectors.skill_list()

    def create_object(self, data):
        return services.skill_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.skill_update(user=self.request.user, skill=instance, **data)


@extend_schema_view(
    list=extend_schema(summary=summary("劳模工匠列表", "List experts")),
    retrieve=extend_schema(summary=summary("劳模工匠详情", "Retrieve an expert")),
    create=extend_schema(summary=summary("录入劳模工匠（秘书处）", "Create an expert (secretariat)")),
    partial_update=extend_schema(
        summary=summary("修改劳模工匠档案（本人或秘书处）", "Update an expert profile (the expert or the secretariat)")
    ),
)
class ExpertViewSet(ServiceViewSet):
    """劳模工匠库. Contact details only for the secretariat, the expert themself and enterprises with an
    accepted pairing with that expert."""

    output_serializer_class = ExpertSerializer
    create_serializer_class = ExpertCreateSerializer
    update_serializer_class = ExpertUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = ExpertApiFilter
    ordering_fields = ("name", "id", "capacity", "updated_at", "province", "city")
    ordering = ("id",)

    def get_permissions(self):
        if self.action == "create":
            return [IsSecretariatOrReadOnly()]
        return super().get_permissions()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query for the whole page, whatever its length.
        context["contact_visible_ids"] = selectors.contact_visible_expert_ids(self.request.user)
        return context

    def select(self):
        return selectors.expert_list(user=self.request.user)

    def create_object(self, data):
        return services.expert_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.expert_update(user=self.request.user, expert=instance, **data)
