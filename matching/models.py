from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Match(models.Model):
    """One ranked candidate (an expert or a studio) for a challenge, with its score breakdown."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("劳模工匠")
        STUDIO = "studio", _("工作室")

    challenge = models.ForeignKey("enterprises.Challenge", on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    expert = models.ForeignKey("experts.Expert", null=True, blank=True, on_delete=models.CASCADE, related_name="matches")
    studio = models.ForeignKey("alliance.Studio", null=True, blank=True, on_delete=models.CASCADE, related_name="matches")
    rank = models.PositiveIntegerField(_("排名"))
    score = models.FloatField(_("得分"))
    # [{"signal": "skill", "weight": 0.3, "value": 0.8, "explanation": {"zh-hans": "...", "en": "..."}}, ...]
    breakdown = models.JSONField(_("得分构成"), default=list)
    algorithm_version = models.CharField(_("算法版本"), max_length=32)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        ordering = ["challenge_id", "kind", "rank"]
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "kind", "rank"], name="match_rank_unique"),
            models.CheckConstraint(
                condition=(Q(kind="expert", expert__isnull=False, studio__isnull=True)
                           | Q(kind="studio", studio__isnull=False, expert__isnull=True)),
                name="match_kind_target",
            ),
        ]


def private_storage():
    """Files only the application serves (after its permission check): MEDIA_ROOT, no public URL."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage()  # MEDIA_ROOT, read when used; no URL pattern serves MEDIA_URL


class ResponseChannel(models.TextChoices):
    """How an expert's answer to an invitation reached the platform."""

    SITE = "site", _("平台账号")
    LINK = "link", _("邀请链接")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面")
    OTHER = "other", _("其他")


# What a liaison may record an answer as having come through (代为答复).
ON_BEHALF_CHANNELS = (ResponseChannel.PHONE, ResponseChannel.IN_PERSON, ResponseChannel.OTHER)


class PairingAgreement(models.Model):
    """结对意向书: one expert, one challenge."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待答复")
        ACCEPTED = "accepted", _("已接受，待签署")
        DECLINED = "declined", _("已婉拒")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("已过期")
        ACTIVE = "active", _("进行中")
        COMPLETED = "completed", _("已完成")
        TERMINATED = "terminated", _("已终止")

    # An agreement in one of these states holds the challenge and one unit of the expert's capacity.
    HOLDING_STATES = (Status.ACCEPTED, Status.ACTIVE)

    challenge = models.ForeignKey("enterprises.Challenge", on_delete=models.PROTECT, related_name="pairings")
    expert = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="pairings")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    message = models.TextField(_("邀请留言"), blank=True)
    goals = models.TextField(_("结对目标"), blank=True)
    deliverables = models.TextField(_("预期成果"), blank=True, help_text=_("交付的成果：方案、改造、培训等"))
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("答复截止"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    response_note = models.TextField(_("答复说明"), blank=True)
    expert_signed_at = models.DateTimeField(_("专家签署时间"), null=True, blank=True)
    enterprise_signed_at = models.DateTimeField(_("企业签署时间"), null=True, blank=True)
    enterprise_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome_summary = models.TextField(_("成果总结"), blank=True)
    problems_solved = models.PositiveIntegerField(_("解决问题数"), null=True, blank=True)
    savings_yuan = models.DecimalField(_("节约金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    workers_trained = models.PositiveIntegerField(_("培训人数"), null=True, blank=True)
    enterprise_rating = models.PositiveSmallIntegerField(
        _("企业评分"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    expert_rating = models.PositiveSmallIntegerField(
        _("专家评分"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    termination_reason = models.TextField(_("终止原因"), blank=True)
    # The studio the agreement came through (issue 12 §2): its lead assigned this member to the invitation.
    studio = models.ForeignKey(
        "alliance.Studio", verbose_name=_("所属工作室"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="pairings",
    )
    # How the expert answered: on the site, through the invitation link, or relayed by a liaison of the
    # secretariat (代为答复: by phone, in person …), who is then recorded here and in the audit trail.
    response_channel = models.CharField(_("答复方式"), max_length=16, choices=ResponseChannel.choices, blank=True)
    responded_on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("代为答复人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The paper agreement signed on site (a scan the secretariat attached): it records both signatures, dated
    # as on the paper. Stored under MEDIA_ROOT, never at a public URL: served to the parties and the secretariat.
    paper_scan = models.FileField(_("纸质意向书扫描件"), upload_to="pairings/paper/", storage=private_storage,
                                  blank=True, max_length=200)
    paper_content_type = models.CharField(_("扫描件类型"), max_length=32, blank=True)
    paper_signed_on = models.DateField(_("纸质意向书签署日期"), null=True, blank=True)
    paper_attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("扫描件上传人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    paper_attached_at = models.DateTimeField(_("扫描件上传时间"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("结对意向书")
        verbose_name_plural = _("结对意向书")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge"], condition=Q(status__in=["accepted", "active"]),
                name="one_holding_pairing_per_challenge",
            ),
            models.UniqueConstraint(
                fields=["challenge", "expert"], condition=Q(status="proposed"),
                name="one_open_proposal_per_challenge_expert",
            ),
        ]
        # The ranking counts each candidate's pairings by status, and "solved before?" reads the pairing of each
        # similar challenge by status: without these, SQLite's planner walks the status index (every active or
        # completed pairing) instead of the few rows of the ids asked for.
        indexes = [
            models.Index(fields=["expert", "status"], name="pairing_by_expert_status"),
            models.Index(fields=["challenge", "status"], name="pairing_by_challenge_status"),
        ]

    def __str__(self):
        return f"{self.challenge} ↔ {self.expert}"

    @property
    def number(self) -> str:
        """The agreement's number on every page, document, e-mail and text message: JL-PA-000016."""
        return agreement_number(self.pk)


def agreement_number(pk: int) -> str:
    """The one spelling of an agreement's number (结对意向书编号): JL-PA- and six digits."""
    return f"JL-PA-{pk:06d}"


class AreaLevel(models.IntegerChoices):
    """How well a candidate masters a skill area, as read from the profile."""

    MENTIONED = 0, _("提及")
    AWARE = 1, _("了解")
    PRACTISED = 2, _("熟练")
    MASTERED = 3, _("精通")


class ExpertArea(models.Model):
    """A skill area derived from an expert's tags, taxonomy skills and biography (rebuilt on every change)."""

    expert = models.ForeignKey("experts.Expert", on_delete=models.CASCADE, related_name="derived_areas")
    skill = models.ForeignKey("experts.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("掌握程度"), choices=AreaLevel.choices)
    evidence = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家技能领域")
        verbose_name_plural = _("专家技能领域")
        constraints = [models.UniqueConstraint(fields=["expert", "skill"], name="expert_area_once")]
        indexes = [models.Index(fields=["skill", "-level"], name="expert_area_by_skill")]


class StudioArea(models.Model):
    """A skill area of a studio: the best level among its members, or its own declared focus."""

    studio = models.ForeignKey("alliance.Studio", on_delete=models.CASCADE, related_name="derived_areas")
    skill = models.ForeignKey("experts.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("掌握程度"), choices=AreaLevel.choices)
    evidence = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("工作室技能领域")
        verbose_name_plural = _("工作室技能领域")
        constraints = [models.UniqueConstraint(fields=["studio", "skill"], name="studio_area_once")]
        indexes = [models.Index(fields=["skill", "-level"], name="studio_area_by_skill")]


class ChallengeNeed(models.Model):
    """A skill area the engine read in a challenge (rewritten with its matches): lets a changed expert
    find the open challenges that need what they can do."""

    class Role(models.TextChoices):
        MAIN = "main", _("主要需求")
        SECONDARY = "secondary", _("次要需求")

    challenge = models.ForeignKey("enterprises.Challenge", on_delete=models.CASCADE, related_name="needs")
    skill = models.ForeignKey("experts.Skill", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    share = models.FloatField(_("权重"))

    class Meta:
        verbose_name = _("需求技能领域")
        verbose_name_plural = _("需求技能领域")
        constraints = [models.UniqueConstraint(fields=["challenge", "skill", "role"], name="challenge_need_once")]


class DemoRecord(models.Model):
    """A row seed_demo created, under its key in the demo plan: a second run finds its rows by these records, so
    nothing is created twice whatever was edited since (an expert's employer or phone, a studio's name, a
    challenge's title)."""

    kind = models.CharField(_("类型"), max_length=32)
    key = models.CharField(_("演示数据键"), max_length=255)
    object_id = models.BigIntegerField(_("对象编号"))

    class Meta:
        verbose_name = _("演示数据记录")
        verbose_name_plural = _("演示数据记录")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="demo_record_once")]

    def __str__(self):
        return f"{self.kind}: {self.key}"


class PairingInvitationLink(models.Model):
    """A one-time link that opens an invitation for an expert without an account (issue 12 §1): sent to every
    channel the catalog entry has (e-mail, mobile). Its token is this row's id signed with the site's key (django.core.signing),
so nothing secret is stored and a message can be rendered again. It works once (claiming
    the account and answering), only while the proposal waits for an answer and before it expires, only while the
    catalog entry has no account, and never for another signed-in user (matching.pairings.invitations)."""

    pairing = models.ForeignKey(PairingAgreement, on_delete=models.CASCADE, related_name="invitation_links")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Where the link went: {"email": address, "sms": number}; empty when the entry has no channel (the liaison
    # queue then lists the invitation).
    sent_to = models.JSONField(_("发送渠道"), default=dict, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("使用账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("结对邀请链接")
        verbose_name_plural = _("结对邀请链接")

    def __str__(self):
        return f"link of pairing {self.pairing_id}"


class StudioInvitation(models.Model):
    """An enterprise invites a ranked studio to one of its challenges (issue 12 §2). The studio's lead (or the
    secretariat for them) assigns the member who takes it: that member then receives a one-on-one proposal
    (PairingAgreement with `studio` set) and the invitation is `assigned`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待工作室指派")
        ASSIGNED = "assigned", _("已指派成员")
        DECLINED = "declined", _("工作室已婉拒")
        WITHDRAWN = "withdrawn", _("已撤回")
        EXPIRED = "expired", _("已过期")

    challenge = models.ForeignKey("enterprises.Challenge", on_delete=models.PROTECT, related_name="studio_invitations")
    studio = models.ForeignKey("alliance.Studio", on_delete=models.PROTECT, related_name="invitations")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    message = models.TextField(_("邀请留言"), blank=True)
    goals = models.TextField(_("结对目标"), blank=True)
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("指派截止"), null=True, blank=True)
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    pairing = models.OneToOneField(
        PairingAgreement, verbose_name=_("结对意向书"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="studio_invitation",
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("工作室结对邀请")
        verbose_name_plural = _("工作室结对邀请")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "studio"], condition=Q(status="pending"),
                                    name="one_pending_invitation_per_challenge_studio"),
        ]

    def __str__(self):
        return f"{self.challenge} ↔ {self.studio}"
