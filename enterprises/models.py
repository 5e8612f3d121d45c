from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianglian.choices import Category, Industry, Province

from .validators import validate_credit_code


class Enterprise(models.Model):
    class Size(models.TextChoices):
        MICRO = "micro", _("微型")
        SMALL = "small", _("小型")
        MEDIUM = "medium", _("中型")
        LARGE = "large", _("大型")

    name = models.CharField(_("企业名称"), max_length=128)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    industry = models.CharField(_("行业"), max_length=16, choices=Industry.choices, default=Industry.CHEMICAL)
    size = models.CharField(_("规模"), max_length=16, choices=Size.choices, default=Size.MEDIUM)
    description = models.TextField(_("简介"), blank=True)
    verified = models.BooleanField(_("已认证"), default=False)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认证人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("企业账号"), blank=True, related_name="enterprises"
    )
    # 所属集团: the parent enterprise of a group (one level: a group's parent belongs to no group itself). Set
    # by the enterprise, verified by the secretariat; counts for conflicts of interest from the day it is set
    # (matching.conflicts), verified or not, since leaving an expert out is the safe side.
    group = models.ForeignKey(
        "self", verbose_name=_("所属集团"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="group_members",
    )
    group_verified_at = models.DateTimeField(_("集团关系核实时间"), null=True, blank=True)
    group_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("集团关系核实人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name

    @property
    def group_verified(self) -> bool:
        """The secretariat confirmed the current group (False without a group)."""
        return self.group_id is not None and self.group_verified_at is not None


class Challenge(models.Model):
    """A problem an enterprise posts (技术难题 / 管理难题 / 绿色发展需求)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("征集中")
        PAIRED = "paired", _("已结对")
        RESOLVED = "resolved", _("已解决")
        CLOSED = "closed", _("已关闭")

    class RegionStrictness(models.TextChoices):
        SOFT = "soft", _("优先")
        STRICT = "strict", _("必须")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(_("标题"), max_length=128)
    description = models.TextField(_("问题描述"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    skills = models.ManyToManyField("experts.Skill", verbose_name=_("所需技能"), blank=True, related_name="challenges")
    preferred_province = models.CharField(_("期望地区（省）"), max_length=32, choices=Province.choices, blank=True)
    preferred_city = models.CharField(_("期望地区（市）"), max_length=32, blank=True)
    region_strictness = models.CharField(
        _("地区要求"), max_length=8, choices=RegionStrictness.choices, default=RegionStrictness.SOFT
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("企业需求")
        verbose_name_plural = _("企业需求")

    def __str__(self):
        return self.title
