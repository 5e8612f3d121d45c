"""REST /api/v1/audit/: the audit trail, secretariat only, newest first, filterable."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary
from jianglian.api.serializers import DateTimeField, OutputModelSerializer
from jianglian.api.views import ServiceViewSet
from jianglian.filters import MAX_DB_INTEGER
from jianglian.models import AuditEntry

from .. import selectors


class AuditEntrySerializer(OutputModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True, allow_null=True, default=None)

    select_related = ("actor",)

    class Meta:
        model = AuditEntry
        fields = ("id", "at", "actor_id", "actor", "subject_type", "subject_id", "action", "from_state",
                  "to_state", "note")
        read_only_fields = fields


class AuditListParams(serializers.Serializer):
    subject_type = serializers.CharField(required=False, max_length=100, help_text="如 matching.pairingagreement")
    subject_id = serializers.IntegerField(required=False, min_value=0, max_value=MAX_DB_INTEGER)
    action = serializers.CharField(required=False, max_length=64)
    actor = serializers.IntegerField(required=False, min_value=0, max_value=MAX_DB_INTEGER)
    since = DateTimeField(required=False, help_text="ISO 8601")
    until = DateTimeField(required=False, help_text="ISO 8601")


@extend_schema_view(
    list=extend_schema(
        summary=summary("审计记录（秘书处）", "Audit trail (secretariat)"),
        parameters=[AuditListParams],
    ),
    retrieve=extend_schema(summary=summary("审计记录详情（秘书处）", "Retrieve an audit entry (secretariat)")),
)
class AuditEntryViewSet(ServiceViewSet):
    output_serializer_class = AuditEntrySerializer
    permission_classes = [IsSecretariat]
    ordering_fields = ("at", "id")
    ordering = ("-at", "-id")
    http_method_names = ["get", "head", "options"]

    def select(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no secretariat caller
            return AuditEntry.objects.none()
        params = self.list_params(AuditListParams)
        return selectors.audit_entry_list(
            user=self.request.user, subject_type=params.get("subject_type"), subject_id=params.get("subject_id"),
            action=params.get("action"), actor_id=params.get("actor"), since=params.get("since"),
            until=params.get("until"),
        )


router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit-entry")
urlpatterns = router.urls
