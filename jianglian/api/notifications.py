"""REST /api/v1/notifications/: the caller's inbox (rules in jianglian.inbox).

    GET  /api/v1/notifications/?unread=true     the caller's notifications, newest first, paginated
    GET  /api/v1/notifications/unread-count/    {"unread": n}
    POST /api/v1/notifications/mark-read/       {"ids": [...]} or {"all": true} → {"marked": n, "unread": m}
    GET/PATCH /api/v1/notifications/preferences/  the caller's channels (e-mail, SMS), mobile number, language
"""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from jianglian import inbox
from jianglian.models import Notification, UserPreference
from jianglian.notifications import absolute_url
from jianglian.preferences import preference_update, preference_of

from .schema import summary
from .serializers import StrictInputSerializer

TAGS = ["notifications"]


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField(help_text="通知标题（读者的语言） / The line, in the reader's language")
    url = serializers.SerializerMethodField(help_text="去处理的页面 / The page to act on (absolute)")
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "url", "unread", "created_at", "read_at")
        read_only_fields = fields

    def get_title(self, notification) -> str:
        return inbox.notification_title(notification)

    def get_url(self, notification) -> str:
        return absolute_url(notification.link or "/me/notifications/")

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkReadInputSerializer(StrictInputSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000,
                                help_text="要标记已读的通知编号 / Ids of the notifications to mark read")
    all = serializers.BooleanField(default=False, help_text="全部标记已读 / Mark all read")


class MarkReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserPreference
        fields = ("language", "email_enabled", "sms_enabled", "phone")


class PreferenceInputSerializer(StrictInputSerializer):
    language = serializers.ChoiceField(choices=UserPreference._meta.get_field("language").choices, required=False)
    email_enabled = serializers.BooleanField(required=False)
    sms_enabled = serializers.BooleanField(required=False)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)


@extend_schema_view(
    list=extend_schema(summary=summary("我的通知", "My notifications"), operation_id="list_notifications", tags=TAGS),
    retrieve=extend_schema(summary=summary("一条通知", "One of my notifications"), operation_id="get_notification",
                           tags=TAGS),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads only (rows are written by the services' notify()); the one write is mark-read."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = inbox.NotificationFilter
    ordering_fields = ("created_at",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return inbox.notification_list(user=self.request.user)

    def read_input(self, serializer_class, *, partial=False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(summary=summary("未读通知数", "Unread notification count"), operation_id="count_unread_notifications",
                   responses=UnreadCountSerializer, tags=TAGS, filters=False)
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None, pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": inbox.unread_count(user=request.user)})

    @extend_schema(summary=summary("标记已读", "Mark notifications read"), operation_id="mark_notifications_read",
                   request=MarkReadInputSerializer, responses=MarkReadSerializer, tags=TAGS)
    @action(detail=False, methods=["post"], url_path="mark-read", filterset_class=None, pagination_class=None)
    def mark_read(self, request):
        data = self.read_input(MarkReadInputSerializer)
        marked = inbox.notifications_mark_read(user=request.user, ids=data.get("ids") or (), all=data["all"])
        return Response({"marked": marked, "unread": inbox.unread_count(user=request.user)})

    @extend_schema(methods=["GET"], summary=summary("我的通知设置", "My notification preferences"),
                   operation_id="get_notification_preferences", responses=PreferenceSerializer, tags=TAGS)
    @extend_schema(methods=["PATCH"], summary=summary("修改通知设置", "Update my notification preferences"),
                   operation_id="update_notification_preferences", request=PreferenceInputSerializer,
                   responses=PreferenceSerializer, tags=TAGS)
    @action(detail=False, methods=["get", "patch"], url_path="preferences", filterset_class=None,
            pagination_class=None)
    def preferences(self, request):
        if request.method == "PATCH":
            pref = preference_update(user=request.user, **self.read_input(PreferenceInputSerializer, partial=True))
        else:
            pref = preference_of(request.user)
        return Response(PreferenceSerializer(pref).data)


router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
urlpatterns = router.urls
