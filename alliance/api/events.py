"""REST /api/v1/events/: campus outreach events (劳模工匠进校园). Rules live in alliance.services."""
from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.routers import SimpleRouter

from experts.selectors import expert_list
from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import (
    OutputModelSerializer, StrictInputModelSerializer, StrictInputSerializer, VisibleReferenceField,
)
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..filters import OutreachEventFilter
from ..models import EventParticipation, EventPhoto, OutreachEvent


class EventPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    caption = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="照片文件 / the photo's bytes")

    def get_url(self, photo) -> str:
        return reverse("event-photo", kwargs={"pk": photo.event_id, "photo_pk": photo.pk})


class ParticipationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    expert_id = serializers.IntegerField(read_only=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    role = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=EventParticipation.Status.choices, read_only=True)
    responded_at = serializers.DateTimeField(read_only=True, allow_null=True)


class EventSerializer(OutputModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    participations = serializers.SerializerMethodField(
        help_text="秘书处看全部；其他人看已确认的和自己的邀请 / all for the secretariat; confirmed and one's own for others")
    photos = EventPhotoSerializer(many=True, read_only=True)

    prefetch_related = (Prefetch("participations", queryset=EventParticipation.objects.select_related("expert")),
                        "photos")

    class Meta:
        model = OutreachEvent
        fields = (
            "id", "title", "school", "province", "city", "starts_at", "ends_at", "format", "format_label", "topic",
            "capacity", "audience", "status", "status_label", "requested_by_school", "participations",
            "audience_count", "report_summary", "report_feedback", "photos", "cancel_reason", "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participations(self, event):
        user = getattr(self.context.get("request"), "user", None)
        return ParticipationSerializer(selectors.event_participations_visible(user=user, event=event), many=True).data


class EventCreateSerializer(StrictInputModelSerializer):
    class Meta:
        model = OutreachEvent
        fields = ("title", "school", "province", "city", "starts_at", "ends_at", "format", "topic", "capacity",
                  "audience", "requested_by_school")


class EventUpdateSerializer(EventCreateSerializer):
    class Meta(EventCreateSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in EventCreateSerializer.Meta.fields}


class EventInviteSerializer(StrictInputSerializer):
    experts = VisibleReferenceField(expert_list, many=True, allow_empty=False)
    role = serializers.CharField(required=False, allow_blank=True, max_length=64)


class EventRespondSerializer(StrictInputSerializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EventReportSerializer(StrictInputSerializer):
    audience_count = serializers.IntegerField(min_value=0)
    summary = serializers.CharField(max_length=8000)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=8000)


class EventCancelSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class EventPhotoUploadSerializer(StrictInputSerializer):
    file = serializers.FileField(help_text="JPEG 或 PNG，按内容识别，大小有上限 / JPEG or PNG, read from the bytes, size-capped")
    caption = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary=summary("进校园活动列表", "List campus outreach events")),
    retrieve=extend_schema(summary=summary("活动详情", "Retrieve an event")),
    create=extend_schema(summary=summary("创建活动（秘书处）", "Create an event (secretariat)")),
    partial_update=extend_schema(summary=summary("修改活动（秘书处）", "Update an event (secretariat)")),
)
class EventViewSet(ServiceViewSet):
    output_serializer_class = EventSerializer
    create_serializer_class = EventCreateSerializer
    update_serializer_class = EventUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = OutreachEventFilter
    ordering_fields = ("starts_at", "id")
    ordering = ("-starts_at", "-id")

    secretariat_actions = frozenset({"create", "partial_update", "invite", "confirm", "hold", "cancel", "photos"})

    def select(self):
        return selectors.event_list(user=self.request.user)

    def create_object(self, data):
        return services.event_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.event_update(user=self.request.user, event=instance, **data)

    def _do(self, service, serializer_class=None):
        event = self.get_object()
        data = self.read_input(serializer_class) if serializer_class else {}
        service(user=self.request.user, event=event, **data)
        return self.respond(event, status.HTTP_200_OK)

    @extend_schema(summary=summary("邀请劳模工匠（秘书处）", "Invite experts (secretariat)"), request=EventInviteSerializer,
                   operation_id="invite_experts_to_event")
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        return self._do(services.event_invite_experts, EventInviteSerializer)

    @extend_schema(summary=summary("确认或婉拒邀请（受邀专家）", "Confirm or decline (the invited expert)"),
                   request=EventRespondSerializer, operation_id="respond_to_event_invitation")
    @action(detail=True, methods=["post"], url_path="respond", url_name="respond")
    def respond_to_invitation(self, request, pk=None):  # not `respond`: ServiceViewSet.respond answers writes
        return self._do(services.event_respond, EventRespondSerializer)

    @extend_schema(summary=summary("确认活动（秘书处）", "Confirm the event (secretariat)"), request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._do(services.event_confirm)

    @extend_schema(summary=summary("活动已举办并填报总结（秘书处）", "Mark held with the report (secretariat)"),
                   request=EventReportSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._do(services.event_hold, EventReportSerializer)

    @extend_schema(summary=summary("取消活动（秘书处）", "Cancel the event (secretariat)"), request=EventCancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._do(services.event_cancel, EventCancelSerializer)

    @extend_schema(summary=summary("上传活动照片（秘书处；JPEG/PNG）", "Upload a photo of the event (secretariat; JPEG/PNG)"),
                   request={"multipart/form-data": EventPhotoUploadSerializer}, operation_id="upload_event_photo")
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request, pk=None):
        event = self.get_object()
        data = self.read_input(EventPhotoUploadSerializer)
        # Never more than one byte over the cap is read: the service refuses what is over it.
        content = data["file"].read(settings.EVENT_PHOTO_MAX_BYTES + 1)
        services.event_photo_add(user=request.user, event=event, data=content, caption=data["caption"])
        return self.respond(event, status.HTTP_201_CREATED)

    @extend_schema(summary=summary("活动照片文件", "The photo's bytes"), responses={(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY},
                   operation_id="get_event_photo")
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>[0-9]+)", url_name="photo")
    def photo(self, request, pk=None, photo_pk=None):
        event = self.get_object()  # the event's visibility is the photo's
        photo = get_object_or_404(EventPhoto.objects.filter(event=event), pk=photo_pk)
        response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response


router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
urlpatterns = router.urls
