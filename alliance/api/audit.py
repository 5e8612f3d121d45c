"""REST /api/v1/audit/: the audit trail, secretariat only, newest first, filterable."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer
from jianglian.api.views import ServiceViewSet
from jianglian.models import AuditEntry

from .. import selectors
from ..filters import AuditEntryFilter


class AuditEntrySerializer(OutputModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True, allow_null=True, default=None)

    select_related = ("actor",)

    class Meta:
        model = AuditEntry
        fields = ("id", "at", "actor_id", "actor", "actor_name", "actor_role", "subject_type", "subject_id", "action", "from_state",
                  "to_state", "note")
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary=summary("审计记录（秘书处）", "Audit trail (secretariat)")),
    retrieve=extend_schema(summary=summary("审计记录详情（秘书处）", "Retrieve an audit entry (secretariat)")),
)
class AuditEntryViewSet(ServiceViewSet):
    output_serializer_class = AuditEntrySerializer
    permission_classes = [IsSecretariat]
    filterset_class = AuditEntryFilter
    ordering_fields = ("at", "id")
    ordering = ("-at", "-id")
    http_method_names = ["get", "head", "options"]

    def select(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no secretariat caller
            return AuditEntry.objects.none()
        return selectors.audit_entry_list(user=self.request.user)


router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit-entry")
urlpatterns = router.urls
