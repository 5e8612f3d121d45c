"""The in-site inbox (站内信): a user's notifications, read and marked read by that user only.

Reads (`notification_list`, `unread_count`) and the one write (`notifications_mark_read`) that the bell, the
inbox page, REST (/api/v1/notifications/) and GraphQL (myNotifications, unreadNotificationCount,
markNotificationsRead) share. Rows are written by jianglian.notifications.notify.
"""
import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import NotAllowed
from .filters import BooleanFilter
from .models import Notification
from .notifications import LANGUAGES, title


def _require_user(user):
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"))


def notification_list(*, user, unread: bool | None = None):
    """The user's notifications, newest first; `unread` True/False keeps the unread / read ones."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    queryset = Notification.objects.filter(recipient=user)
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    return queryset.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_title(notification: Notification, language: str | None = None) -> str:
    """The line the inbox shows, in the reader's language (the current one by default)."""
    language = language or get_language() or ""
    language = language if language in LANGUAGES else ("en" if language.startswith("en") else LANGUAGES[0])
    try:
        return title(notification.kind, language, notification.context)
    except Exception:  # noqa: BLE001 — a kind whose template is gone still lists
        return notification.kind


@transaction.atomic
def notifications_mark_read(*, user, ids=(), all: bool = False) -> int:  # noqa: A002 — the API's word
    """Mark the user's notifications `ids` (or all of them) read; returns how many changed. An id that is not one
    of the user's own is refused (400) and nothing changes."""
    _require_user(user)
    if not all:
        try:
            wanted = {int(pk) for pk in ids or ()}
        except (TypeError, ValueError):
            raise ValidationError({"ids": _("通知编号无效。")}) from None
        if not wanted:
            raise ValidationError({"ids": _("请选择通知，或标记全部已读。")})
        own = set(Notification.objects.filter(recipient=user, pk__in=wanted).values_list("pk", flat=True))
        unknown = wanted - own
        if unknown:
            raise ValidationError({"ids": _("没有这些通知：%s") % ", ".join(map(str, sorted(unknown)))})
        queryset = Notification.objects.filter(recipient=user, pk__in=own)
    else:
        queryset = Notification.objects.filter(recipient=user)
    return queryset.filter(read_at__isnull=True).update(read_at=timezone.now())


class NotificationFilter(django_filters.FilterSet):
    """The inbox's one filter, for REST (`?unread=true`) and GraphQL (`myNotifications(unread: true)`)."""

    unread = BooleanFilter(method="filter_unread", label="未读 / unread only (false: read only)")

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
