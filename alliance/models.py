from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jianglian.choices import Category, Province


class MembershipBatch(models.Model):
    """A numbered, published list of approved member studios (首批, 第二批 …)."""

    number = models.PositiveIntegerField(_("批次号"), unique=True)
    name = models.CharField(_("名称"), max_length=64)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("成员批次")
        verbose_name_plural = _("成员批次")

    def __str__(self):
        return self.name


class Studio(models.Model):
    """A 劳模工匠创新工作室."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")
        ENTERPRISE = "enterprise", _("企业级")

    class MembershipStatus(models.TextChoices):
        NONE = "none", _("非成员")
        MEMBER = "member", _("联盟成员")
        SUSPENDED = "suspended", _("暂停")

    name = models.CharField(_("名称"), max_length=128, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, default=Level.ENTERPRISE)
    host_enterprise = models.CharField(_("依托单位"), max_length=128)
    lead = models.ForeignKey(
        "experts.Expert", verbose_name=_("领衔人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="led_studios",
    )
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    established_year = models.PositiveSmallIntegerField(_("成立年份"), null=True, blank=True)
    skills = models.ManyToManyField("experts.Skill", verbose_name=_("研究方向"), blank=True, related_name="studios")
    focus = models.JSONField(_("研究方向（自填）"), default=list, blank=True)
    description = models.TextField(_("简介"), blank=True)
    achievements = models.TextField(_("主要成果"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("可同时结对数"), default=3)
    membership_status = models.CharField(
        _("成员状态"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.NONE
    )
    batch = models.ForeignKey(
        MembershipBatch, verbose_name=_("批次"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="studios",
    )
    suspended_reason = models.TextField(_("暂停原因"), blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("管理账号"), blank=True, related_name="managed_studios"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("劳模工匠创新工作室")
        verbose_name_plural = _("劳模工匠创新工作室")

    def __str__(self):
        return self.name


class MembershipApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("入盟")
        REINSTATEMENT = "reinstatement", _("恢复成员资格")

    # History: a studio with applications is not deleted (PROTECT); the admin says which rows hold it.
    studio = models.ForeignKey(Studio, verbose_name=_("工作室"), on_delete=models.PROTECT, related_name="applications")
    statement = models.TextField(_("申请说明"))
    # A suspended studio that applies again asks to be reinstated: the secretariat decides it as such.
    kind = models.CharField(_("申请类型"), max_length=16, choices=Kind.choices, default=Kind.MEMBERSHIP)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    batch = models.ForeignKey(
        MembershipBatch, verbose_name=_("批次"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="applications",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("入盟申请")
        verbose_name_plural = _("入盟申请")
        constraints = [
            models.UniqueConstraint(
                fields=["studio"], condition=Q(status="pending"), name="one_pending_application_per_studio"
            )
        ]

    def __str__(self):
        return f"{self.studio} ({self.get_status_display()})"


class OutreachEvent(models.Model):
    """A 劳模工匠进校园 event."""

    class Format(models.TextChoices):
        LECTURE = "lecture", _("讲座")
        WORKSHOP = "workshop", _("工作坊")
        TRAINING = "training", _("实操培训")
        MENTORING = "mentoring", _("师带徒")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        CONFIRMED = "confirmed", _("已确认")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("名称"), max_length=128)
    school = models.CharField(_("学校"), max_length=128)
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    format = models.CharField(_("形式"), max_length=16, choices=Format.choices)
    topic = models.CharField(_("主题"), max_length=256)
    capacity = models.PositiveIntegerField(_("名额"), default=100)
    audience = models.CharField(_("面向对象"), max_length=256, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    requested_by_school = models.BooleanField(_("学校申请"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    experts = models.ManyToManyField(
        "experts.Expert", through="EventParticipation", verbose_name=_("参与劳模工匠"), related_name="outreach_events"
    )
    audience_count = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    report_summary = models.TextField(_("活动总结"), blank=True)
    report_feedback = models.TextField(_("反馈"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("进校园活动")
        verbose_name_plural = _("进校园活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class EventParticipation(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已婉拒")

    # History: an event or an expert with participations is not deleted (PROTECT); cancel the event instead.
    event = models.ForeignKey(OutreachEvent, on_delete=models.PROTECT, related_name="participations")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="event_participations")
    role = models.CharField(_("角色"), max_length=64, blank=True, help_text=_("如：主讲、实训指导"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.INVITED)
    note = models.TextField(_("备注"), blank=True)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("活动参与")
        verbose_name_plural = _("活动参与")
        constraints = [models.UniqueConstraint(fields=["event", "expert"], name="one_participation_per_expert")]


def event_photo_path(photo, filename):
    """Photos are stored under MEDIA_ROOT/events/<event id>/ with a name the server chose (never the client's)."""
    return f"events/{photo.event_id}/{photo.stored_name}"


class EventPhoto(models.Model):
    """A photo of a held event's report (JPEG or PNG, sniffed from its bytes and size-capped: alliance.photos)."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("照片"), upload_to=event_photo_path, max_length=200)
    stored_name = models.CharField(max_length=80)
    content_type = models.CharField(_("类型"), max_length=32)
    size = models.PositiveIntegerField(_("大小（字节）"))
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return self.caption or self.stored_name


class EventRequest(models.Model):
    """A school asks for a 进校园 event (the public form); the secretariat accepts (an event is created from it,
    pre-filled) or declines with a reason sent to the school."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉拒")

    school = models.CharField(_("学校"), max_length=128)
    contact_name = models.CharField(_("联系人"), max_length=64)
    phone = models.CharField(_("联系电话"), max_length=32)
    email = models.EmailField(_("电子邮箱"), blank=True)
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    topic = models.CharField(_("希望的主题"), max_length=256)
    audience = models.CharField(_("面向对象"), max_length=256)
    audience_size = models.PositiveIntegerField(_("预计人数"), null=True, blank=True)
    preferred_dates = models.JSONField(_("希望的日期"), default=list)
    format = models.CharField(_("形式"), max_length=16, choices=OutreachEvent.Format.choices)
    note = models.TextField(_("补充说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    client_address = models.GenericIPAddressField(_("提交地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.TextField(_("婉拒原因"), blank=True)
    event = models.OneToOneField(
        OutreachEvent, verbose_name=_("活动"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="request",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("学校活动申请")
        verbose_name_plural = _("学校活动申请")

    def __str__(self):
        return f"{self.school}：{self.topic}"


class ServiceDay(models.Model):
    """A 劳模工匠助企行 service day (现场服务): several experts spend a day at an industrial park or an enterprise
    answering the participating enterprises' questions on the spot."""

    class VenueKind(models.TextChoices):
        PARK = "park", _("园区")
        ENTERPRISE = "enterprise", _("企业")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("名称"), max_length=128)
    venue = models.CharField(_("地点"), max_length=128)
    venue_kind = models.CharField(_("地点类型"), max_length=16, choices=VenueKind.choices, default=VenueKind.PARK)
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True)
    experts = models.ManyToManyField(
        "experts.Expert", through="ServiceDayExpert", verbose_name=_("参与劳模工匠"), related_name="service_days"
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("参与企业"), blank=True, related_name="service_days"
    )
    report_summary = models.TextField(_("活动总结"), blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("助企行现场服务")
        verbose_name_plural = _("助企行现场服务")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="service_day_ends_after_start")
        ]

    def __str__(self):
        return self.title


class ServiceDayExpert(models.Model):
    # History: a day or an expert with participations is not deleted (PROTECT); cancel the day instead.
    service_day = models.ForeignKey(ServiceDay, on_delete=models.PROTECT, related_name="participations")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="service_day_participations")
    role = models.CharField(_("角色"), max_length=64, blank=True)
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["service_day_id", "id"]
        verbose_name = _("现场服务专家")
        verbose_name_plural = _("现场服务专家")
        constraints = [models.UniqueConstraint(fields=["service_day", "expert"], name="one_expert_per_service_day")]


class ServiceDayQuestion(models.Model):
    """One enterprise's question on a service day. One not solved on the spot can become a challenge draft of that
    enterprise (`challenge`), which keeps the link back to the day."""

    service_day = models.ForeignKey(ServiceDay, on_delete=models.PROTECT, related_name="questions")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="service_day_questions")
    topic = models.CharField(_("问题"), max_length=128)
    description = models.TextField(_("详细情况"), blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    solved_on_site = models.BooleanField(_("现场解决"), default=False)
    workers_trained = models.PositiveIntegerField(_("现场培训职工人数"), default=0)
    answered_by = models.ForeignKey("experts.Expert", verbose_name=_("解答专家"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    logged_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    challenge = models.OneToOneField(
        "enterprises.Challenge", verbose_name=_("转成的需求"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="service_day_question",
    )

    class Meta:
        ordering = ["service_day_id", "id"]
        verbose_name = _("现场服务问题")
        verbose_name_plural = _("现场服务问题")

    def __str__(self):
        return self.topic
