"""REST /api/v1/event-requests/: a school asks for a 进校园 event (anyone may ask; a flood is 429), the secretariat
reviews its queue (accept: the event is created, pre-filled; decline: the reason goes to the school).
Rules live in alliance.services."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary
from jianglian.api.serializers import DateTimeField, OutputModelSerializer, StrictInputSerializer
from jianglian.api.views import ServiceViewSet
from jianglian.choices import Province
from jianglian.signin import client_ip

from .. import selectors, services
from ..filters import EventRequestFilter
from ..models import EventRequest, OutreachEvent


class EventRequestSerializer(OutputModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    format_label = serializers.CharField(source="get_format_display", read_only=True)
    preferred_dates = serializers.ListField(child=serializers.DateField(), read_only=True)
    event_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = EventRequest
        fields = ("id", "school", "contact_name", "phone", "email", "province", "city", "topic", "audience",
                  "audience_size", "preferred_dates", "format", "format_label", "note", "status", "status_label",
                  "created_at", "reviewed_at", "decline_reason", "event_id")
        read_only_fields = fields


class EventRequestCreateSerializer(StrictInputSerializer):
    school = serializers.CharField(max_length=128)
    contact_name = serializers.CharField(max_length=64)
    phone = serializers.CharField(max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    province = serializers.ChoiceField(choices=Province.choices)
    city = serializers.CharField(max_length=32)
    topic = serializers.CharField(max_length=256)
    audience = serializers.CharField(max_length=256)
    audience_size = serializers.IntegerField(min_value=1, max_value=100000, required=False, allow_null=True)
    preferred_dates = serializers.ListField(child=serializers.DateField(), min_length=1,
                                            max_length=services.MAX_PREFERRED_DATES)
    format = serializers.ChoiceField(choices=OutreachEvent.Format.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EventRequestReviewSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=services.RequestDecision.ALL)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                   help_text="婉拒时必填，发送给学校 / required to decline; sent to the school")
    title = serializers.CharField(max_length=128, required=False, help_text="接受时可改活动名称 / the event's title")
    starts_at = DateTimeField(required=False, help_text="接受时可改开始时间 / the event's start")


@extend_schema_view(
    list=extend_schema(summary=summary("学校活动申请（秘书处：全部；申请账号：本人的）",
                                       "List school requests (secretariat: all; a signed-in requester: their own)")),
    retrieve=extend_schema(summary=summary("学校活动申请详情", "Retrieve a school request")),
    create=extend_schema(summary=summary("学校申请进校园活动（无需登录；同一地址或电话每小时有限次数）",
                                         "A school asks for an event (no sign-in; a few per hour per address and phone)")),
)
class EventRequestViewSet(ServiceViewSet):
    output_serializer_class = EventRequestSerializer
    create_serializer_class = EventRequestCreateSerializer
    filterset_class = EventRequestFilter
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        if self.action == "review":
            return [IsSecretariat()]
        return [IsAuthenticated()]

    def select(self):
        return selectors.event_request_list(user=self.request.user)

    def create_object(self, data):
        return services.event_request_submit(user=self.request.user, client_address=client_ip(self.request), **data)

    @extend_schema(summary=summary("接受或婉拒学校的申请（秘书处）", "Accept or decline a school request (secretariat)"),
                   request=EventRequestReviewSerializer, operation_id="review_event_request")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        event_request = self.get_object()
        data = self.read_input(EventRequestReviewSerializer)
        reviewed = services.event_request_review(user=request.user, request=event_request, **data)
        return self.respond(reviewed, status.HTTP_200_OK)


router = SimpleRouter()
router.register("event-requests", EventRequestViewSet, basename="event-request")
urlpatterns = router.urls
