from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jianglian.choices import Category, Honour, Industry, Province


class Skill(models.Model):
    """An entry of the curated skill taxonomy (技能分类).

    Top-level entries (no parent) are skill areas such as 精馏与分离; their
    children are finer skills. Synonyms and typical problems feed search and
    matching: an enterprise describing 蒸汽单耗偏高 still reaches 精馏节能.
    """

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, default=Category.TECHNOLOGY)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级领域"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    synonyms = models.JSONField(_("同义词"), default=list, blank=True)
    problems = models.JSONField(
        _("典型问题"), default=list, blank=True, help_text=_("企业描述问题时常用的说法：症状、目标、设备")
    )
    related = models.ManyToManyField("self", verbose_name=_("相关领域"), blank=True, symmetrical=True)
    description = models.TextField(_("说明"), blank=True)
    # Provenance (issue 13 §4): the fields the secretariat set keep their value when load_taxonomy runs again;
    # each synonym and problem word has its own record (SkillWord).
    curated_fields = models.JSONField(_("秘书处修改过的字段"), default=list, blank=True, editable=False)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    curated_at = models.DateTimeField(_("最后修改时间"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("技能")
        verbose_name_plural = _("技能分类")

    def __str__(self):
        return self.name


class SkillWord(models.Model):
    """One synonym or typical-problem word of a skill: who added it (the shipped taxonomy file or a member of
    the secretariat) and, once removed, who removed it. `Skill.synonyms` / `Skill.problems` hold the words in
    force, in order (search and matching read them); these rows say where each came from, so load_taxonomy
    adds the file's new words and never brings back a word the secretariat removed."""

    class Kind(models.TextChoices):
        SYNONYM = "synonym", _("同义词")
        PROBLEM = "problem", _("典型问题")

    class Source(models.TextChoices):
        TAXONOMY = "taxonomy", _("技能分类文件")
        SECRETARIAT = "secretariat", _("秘书处")

    skill = models.ForeignKey(Skill, verbose_name=_("技能"), on_delete=models.CASCADE, related_name="words")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    word = models.CharField(_("词"), max_length=200)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("添加人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("删除人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)

    class Meta:
        ordering = ["skill", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["skill", "kind", "word"], name="skillword_unique_word")]
        verbose_name = _("技能词")
        verbose_name_plural = _("技能词")

    def __str__(self):
        return f"{self.skill} · {self.word}"


class Expert(models.Model):
    """An entry of the 劳模工匠库."""

    class Role(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳模")
        CRAFTSMAN = "craftsman", _("工匠")
        BOTH = "both", _("劳模、工匠")

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="expert",
    )
    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    role = models.CharField(_("类型"), max_length=16, choices=Role.choices, default=Role.CRAFTSMAN)
    professional_title = models.CharField(_("职称/技能等级"), max_length=64, blank=True)
    position = models.CharField(_("职务"), max_length=64, blank=True)
    # Indexed: matching.conflicts finds an enterprise's own employees by this name.
    employer = models.CharField(_("工作单位"), max_length=128, db_index=True)
    province = models.CharField(_("省份"), max_length=32, choices=Province.choices)
    city = models.CharField(_("城市"), max_length=32)
    industry = models.CharField(_("行业"), max_length=16, choices=Industry.choices, default=Industry.CHEMICAL)
    skills = models.ManyToManyField(Skill, verbose_name=_("技能"), blank=True, related_name="experts")
    skill_tags = models.JSONField(_("自填技能标签"), default=list, blank=True)
    bio = models.TextField(_("简介"), blank=True)
    achievements = models.TextField(_("主要成果"), blank=True)
    studio = models.ForeignKey(
        "alliance.Studio", verbose_name=_("所属工作室"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    capacity = models.PositiveSmallIntegerField(
        _("可同时结对数"), default=2, validators=[MinValueValidator(0), MaxValueValidator(20)]
    )
    accepting_pairings = models.BooleanField(_("接受结对"), default=True)
    accepts_remote = models.BooleanField(_("接受远程指导"), default=True)
    # Enterprises the expert declares a conflict of interest with (a former employer, a relative's company …):
    # never ranked for their challenges, nor for those of their group (matching.conflicts). Private: the expert
    # and the secretariat see it (experts.selectors.can_see_conflicts).
    conflicts = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("申报回避的企业"), blank=True, related_name="declared_conflicts",
    )
    # Private contact details: only the secretariat and enterprises with an accepted pairing see them.
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("劳模工匠")
        verbose_name_plural = _("劳模工匠库")
        indexes = [models.Index(fields=["province", "city"])]

    def __str__(self):
        return self.name


class ExpertHonour(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="honours", verbose_name=_("劳模工匠"))
    honour = models.CharField(_("荣誉"), max_length=32, choices=Honour.choices)
    year = models.PositiveSmallIntegerField(_("获得年份"), null=True, blank=True)

    class Meta:
        ordering = ["expert_id", "year", "id"]
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        constraints = [models.UniqueConstraint(fields=["expert", "honour"], name="expert_honour_once")]

    def __str__(self):
        return f"{self.expert} · {self.get_honour_display()}"
