"""The inbox (站内信), the notification settings and the short links SMS carry; rules in jianglian.inbox,
jianglian.preferences and jianglian.notifications."""
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianglian import inbox
from jianglian.models import ShortLink
from jianglian.preferences import preference_of, preference_update

from ..forms import NotificationPreferencesForm, add_service_errors
from .common import is_local_path, next_url, paginate, service_call, signed_in


@signed_in
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, inbox.notification_list(user=request.user, unread=True if unread_only else None))
    rows = [(notification, inbox.notification_title(notification)) for notification in page]
    return render(request, "frontend_stub/notifications/list.html", {
        "page": page, "rows": rows, "unread_only": unread_only,
    })


@signed_in
def notification_open(request, pk):
    """Open one notification: it is marked read and the page to act on opens."""
    notification = get_object_or_404(inbox.notification_list(user=request.user), pk=pk)
    if notification.read_at is None:
        inbox.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.link or ""
    return HttpResponseRedirect(target if is_local_path(target, request) else "/me/notifications/")


@require_POST
@signed_in
def notifications_mark_read(request):
    ids = request.POST.getlist("ids")
    with service_call(request) as ok:
        marked = inbox.notifications_mark_read(user=request.user, ids=ids, all=not ids)
    if ok:
        messages.success(request, _("已标记 %(count)s 条通知为已读。") % {"count": marked})
    return HttpResponseRedirect(next_url(request, "/me/notifications/"))


@signed_in
def notification_settings(request):
    pref = preference_of(request.user)
    form = NotificationPreferencesForm(request.POST or None, initial={
        "language": pref.language, "email_enabled": pref.email_enabled, "sms_enabled": pref.sms_enabled,
        "phone": pref.phone,
    })
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, {})
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("web:notification_settings")
    return render(request, "frontend_stub/notifications/settings.html", {"form": form},
                  status=400 if form.errors else 200)


def short_link(request, code):
    """/s/<code>/ (what an SMS carries) → the page it stands for."""
    link = ShortLink.objects.filter(code=code).first()
    if link is None or not is_local_path(link.target, request):
        raise Http404
    return HttpResponseRedirect(link.target)
