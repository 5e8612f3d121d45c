"""Cross-app records: a user's preferences, the inbox and the notification outbox, short links, the audit trail."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserPreference(models.Model):
    """Per-user settings that belong to no app: the language notifications are written in and the channels
    they go out on besides the inbox (which is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(_("通知语言"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    email_enabled = models.BooleanField(_("邮件通知"), default=True)
    sms_enabled = models.BooleanField(_("短信通知"), default=True)
    # The mobile number SMS go to; an expert without one is texted at the catalog entry's phone.
    phone = models.CharField(_("手机号"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户偏好")
        verbose_name_plural = _("用户偏好")

    def __str__(self):
        return f"{self.user} · {self.language}"


class Notification(models.Model):
    """One event in one user's inbox (站内信). Written by `jianglian.notifications.notify` in the transaction of
    the change it reports, once per event and user (`key`); the e-mail and SMS of the event are outbox rows
    (NotificationLog) pointing at it. The text is rendered from `kind` and `context` in the reader's language."""

    key = models.CharField(_("幂等键"), max_length=191, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=64)
    context = models.JSONField(_("内容数据"), default=dict)
    link = models.CharField(_("链接"), max_length=500, blank=True, help_text=_("站内路径，去处理这件事的页面"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.key


class ShortLink(models.Model):
    """A short path on this site (/s/<code>/) that redirects to a longer one: what an SMS carries."""

    code = models.CharField(_("短码"), max_length=16, unique=True)
    target = models.CharField(_("目标路径"), max_length=500, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短链接")
        verbose_name_plural = _("短链接")

    def __str__(self):
        return f"{self.code} → {self.target}"


class NotificationLog(models.Model):
    """The outbox: one notification of one event to one recipient on one channel (e-mail or SMS).

    The row is written in the same transaction as the state change it reports, keyed by
    `kind:subject:id:recipient[:event]` (`…:sms` for the text message), so an event yields at most one row per
    recipient and channel; the sending task claims the row under a lock and marks it sent, so a redelivered task
    sends nothing twice. A transient failure (SMTP down, the SMS provider throttling) leaves it pending with the
    attempt counted and the task retried with backoff; a permanent one (a bad number, retries exhausted) marks it
    failed, and the secretariat's dashboard lists it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        SKIPPED = "skipped", _("无收件地址")
        FAILED = "failed", _("发送失败")

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    key = models.CharField(_("幂等键"), max_length=191, unique=True)
    kind = models.CharField(_("类型"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, verbose_name=_("站内通知"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("语言"), max_length=8)
    context = models.JSONField(_("内容数据"), default=dict)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    # For a recipient without an account (jianglian.notifications.Contact): the address given; else read at sending.
    to_email = models.CharField(_("收件地址"), max_length=254, blank=True)
    to_phone = models.CharField(_("手机号"), max_length=32, blank=True)
    subject = models.CharField(_("标题"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知记录")
        verbose_name_plural = _("通知记录")

    def __str__(self):
        return self.key


class AuditTrailInsertOnly(Exception):
    """An audit entry was to be changed or deleted: the trail is insert-only."""


class AuditEntryQuerySet(models.QuerySet):
    """No bulk rewriting: update() and delete() refuse (so do bulk_update and the model's save/delete).

    One update passes: `actor` set to NULL, which is how Django's deletion of an account (SET_NULL) reaches
    the entries; the actor's name and role were copied into them when they were written."""

    def update(self, **kwargs):
        if kwargs in ({"actor": None}, {"actor_id": None}):
            return super().update(**kwargs)
        raise AuditTrailInsertOnly("审计记录只能新增，不能修改 / Audit entries cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditTrailInsertOnly("审计记录只能新增，不能修改 / Audit entries cannot be changed.")

    def delete(self):
        raise AuditTrailInsertOnly("审计记录只能新增，不能删除 / Audit entries cannot be deleted.")

    delete.queryset_only = True


class AuditEntry(models.Model):
    """One state change of an application, batch, pairing, event or challenge: who, when, from → to.

    Every app writes it (jianglian.audit.audit_record), so it lives in the ground. It moved here from alliance
    with its table: `alliance_auditentry` keeps its name and rows (migrations jianglian 0002, alliance 0003).

    Insert-only: saving an existing entry, `update()`, `delete()` (of an entry or a queryset) raise
    AuditTrailInsertOnly; on PostgreSQL a trigger (migration 0004) refuses UPDATE and DELETE in SQL too.
    The actor's name and role are copied in when the entry is written: an account deleted later (its
    `actor` set to NULL, the one change the trigger lets through) or renamed still shows who did it.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="audit_entries",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=200, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=64, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.BigIntegerField(_("对象编号"))
    action = models.CharField(_("操作"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        db_table = "alliance_auditentry"
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="alliance_au_subject_3dc2b6_idx")]

    def __str__(self):
        return f"{self.subject_type}#{self.subject_id} {self.from_state}→{self.to_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise AuditTrailInsertOnly("审计记录只能新增，不能修改 / Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailInsertOnly("审计记录只能新增，不能删除 / Audit entries cannot be deleted.")


class RosterUpload(models.Model):
    """A roster file the secretariat uploaded (page or REST): checked (a dry run), then imported when confirmed.

    The file is kept until it is imported or refused (then emptied), so the confirmation imports exactly the
    file that was previewed; the check and the import run in Celery (jianglian.rosters.jobs), which records
    their progress here for the page to poll. The URL names an upload by its `token`, never by its number.
    """

    class Status(models.TextChoices):
        PENDING_CHECK = "pending_check", _("等待预检查")
        CHECKING = "checking", _("预检查中")
        CHECKED = "checked", _("待确认")
        REFUSED = "refused", _("文件被拒绝")
        PENDING_IMPORT = "pending_import", _("等待导入")
        IMPORTING = "importing", _("导入中")
        IMPORTED = "imported", _("已导入")
        NOT_IMPORTED = "not_imported", _("未导入")
        FAILED = "failed", _("导入失败")

    token = models.UUIDField(_("令牌"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("名册类型"), max_length=32)
    filename = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    data = models.BinaryField(_("文件内容"), default=bytes, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING_CHECK)
    phase = models.CharField(_("阶段"), max_length=16, blank=True)
    done = models.PositiveIntegerField(_("已处理行数"), default=0)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    valid_rows_only = models.BooleanField(_("只导入正确的行"), default=False)
    check_report = models.JSONField(_("预检查报告"), null=True, blank=True)
    import_report = models.JSONField(_("导入报告"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    failure = models.TextField(_("失败原因"), blank=True)
    # When the running check or import was claimed, and how many runs of it were claimed: a run cut off (the server
    # restarted, the worker was killed) is run again by the recovery job (jianglian.rosters.jobs.upload_recover).
    started_at = models.DateTimeField(_("运行开始时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("名册上传")
        verbose_name_plural = _("名册上传")

    def __str__(self):
        return f"{self.kind} · {self.filename}"


class IdempotencyKey(models.Model):
    """A create the client may retry: the first request's answer, kept under the key the client chose.

    Keyed by user and key (an `Idempotency-Key` header in REST, a `clientMutationId` in GraphQL). A retry with
    the same key and the same request gets the stored answer again and creates nothing; the same key with a
    different request is refused. Written in the create's own transaction, so a create that failed stores no
    key and may simply be tried again (jianglian.idempotency).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    operation = models.CharField(_("操作"), max_length=100)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    response = models.JSONField(_("应答"), null=True, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self):
        return f"{self.user_id}:{self.key} → {self.object_type}#{self.object_id}"
