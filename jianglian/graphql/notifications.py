"""GraphQL of the inbox and notification preferences: `myNotifications(unread:)`, `unreadNotificationCount`,
`myNotificationPreferences`, `markNotificationsRead(ids, all)`, `updateNotificationPreferences`. They call
jianglian.inbox and jianglian.preferences, as REST does."""
import graphene

from jianglian import inbox
from jianglian.models import Notification, UserPreference
from jianglian.notifications import absolute_url
from jianglian.preferences import preference_of, preference_update

from .mutations import ServiceMutation, given
from .types import ConnectionField, CountableConnection, Node, VisibleObjectType, pk_of, require_login


class NotificationType(VisibleObjectType):
    """One notification in the caller's inbox (only the caller sees it)."""

    title = graphene.String(required=True, description="通知标题（读者的语言） / The line, in the reader's language")
    url = graphene.String(required=True, description="去处理的页面 / The page to act on (absolute)")
    unread = graphene.Boolean(required=True)

    class Meta:
        model = Notification
        name = "Notification"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "kind", "created_at", "read_at")

    @classmethod
    def visible(cls, info):
        return inbox.notification_list(user=info.context.user)

    def resolve_title(root, info):
        return inbox.notification_title(root)

    def resolve_url(root, info):
        return absolute_url(root.link or "/me/notifications/")

    def resolve_unread(root, info):
        return root.read_at is None


class NotificationPreferencesType(graphene.ObjectType):
    language = graphene.String(required=True)
    email_enabled = graphene.Boolean(required=True)
    sms_enabled = graphene.Boolean(required=True)
    phone = graphene.String(required=True)

    class Meta:
        name = "NotificationPreferences"


class NotificationQueries(graphene.ObjectType):
    my_notifications = ConnectionField(NotificationType, filterset_class=inbox.NotificationFilter,
                                       description="我的通知（最新在前） / My notifications, newest first")
    unread_notification_count = graphene.Int(required=True, description="未读通知数 / Unread notifications")
    my_notification_preferences = graphene.Field(NotificationPreferencesType, required=True)

    def resolve_my_notifications(root, info, **kwargs):
        require_login(info)
        return inbox.notification_list(user=info.context.user)

    def resolve_unread_notification_count(root, info):
        return inbox.unread_count(user=require_login(info))

    def resolve_my_notification_preferences(root, info):
        return preference_of(require_login(info))


class MarkNotificationsRead(ServiceMutation):
    """Mark some of my notifications (`ids`) or all of them (`all: true`) read."""

    class Meta:
        name = "MarkNotificationsReadPayload"

    class Arguments:
        ids = graphene.List(graphene.NonNull(graphene.ID))
        all = graphene.Boolean()

    marked = graphene.Int(required=True)

    @classmethod
    def perform(cls, info, user, ids=None, all=False):  # noqa: A002 — the API's word
        pks = [pk_of(info, NotificationType, global_id) for global_id in ids or ()]
        return inbox.notifications_mark_read(user=user, ids=pks, all=bool(all))


class UpdateNotificationPreferencesInput(graphene.InputObjectType):
    language = graphene.String()
    email_enabled = graphene.Boolean()
    sms_enabled = graphene.Boolean()
    phone = graphene.String()


class UpdateNotificationPreferences(ServiceMutation):
    """My channels besides the inbox (always on), my mobile number and language; only the fields given change."""

    class Meta:
        name = "UpdateNotificationPreferencesPayload"

    class Arguments:
        input = UpdateNotificationPreferencesInput(required=True)

    preferences = graphene.Field(NotificationPreferencesType, required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return preference_update(user=user, **given(fields))


class NotificationMutations(graphene.ObjectType):
    mark_notifications_read = MarkNotificationsRead.Field()
    update_notification_preferences = UpdateNotificationPreferences.Field()
