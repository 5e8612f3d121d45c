"""REST /api/v1/audit/: the audit trail, secretariat only, newest first, filterable."""
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer
from jianglian.api.views import ServiceViewSet

from .. import selectors
from ..models import AuditEntry


class AuditEntrySerializer(OutputModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True, allow_null=True, default=None)

    select_related = ("actor",)

    class Meta:
        model = AuditEntry
        fields = ("id", "at", "actor_id", "actor", "subject_type", "subject_id", "action", "from_state",
                  "to_state", "note")
        read_only_fields = fields


def _int(params, name):
    value = params.get(name)
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise ValidationError({name: ["应为整数 / Must be an integer."]})
    return int(value)


def _when(params, name):
    value = params.get(name)
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValidationError({name: ["应为 ISO 8601 时间 / Must be an ISO 8601 date-time."]})
    return parsed


@extend_schema_view(
    list=extend_schema(
        summary=summary("审计记录（秘书处）", "Audit trail (secretariat)"),
        parameters=[
            OpenApiParameter("subject_type", str, description="如 matching.pairingagreement"),
            OpenApiParameter("subject_id", int), OpenApiParameter("action", str), OpenApiParameter("actor", int),
            OpenApiParameter("since", str, description="ISO 8601"), OpenApiParameter("until", str, description="ISO 8601"),
        ],
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
        params = self.request.query_params if self.action == "list" else {}
        return selectors.audit_entry_list(
            user=self.request.user, subject_type=params.get("subject_type") or None,
            subject_id=_int(params, "subject_id"), action=params.get("action") or None,
            actor_id=_int(params, "actor"), since=_when(params, "since"), until=_when(params, "until"),
        )


router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit-entry")
urlpatterns = router.urls
