"""Forms of the web pages: they parse what was typed; the services decide what is allowed.

A service's ValidationError comes back onto the form with `add_service_errors`, field by
field, so the page re-renders with the messages next to the inputs and what was typed kept.
"""
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from alliance.models import MembershipApplication
from enterprises.models import Challenge, Enterprise
from experts.models import Expert, Skill
from experts.services import split_words
from matching.models import ON_BEHALF_CHANNELS
from jianglian.choices import Category, Industry, Province


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict | None = None) -> None:
    """Put a service's ValidationError on `form`: known fields get their messages, the rest go on top."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = field_map.get(name, name)
            target = name if name in form.fields else None
            for message in errors:
                if target is None and name not in (None, "__all__"):
                    message = f"{name}: {message}"
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class NoColonMixin:
    """Labels without Django's trailing colon (the layout sets them apart)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PageForm(NoColonMixin, forms.Form):
    pass


class LoginForm(NoColonMixin, AuthenticationForm):
    pass


class ChangePasswordForm(NoColonMixin, PasswordChangeForm):
    """The old password, then the new one twice; the new one passes AUTH_PASSWORD_VALIDATORS (field errors)."""


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SkillPicker(forms.SelectMultiple):
    """A plain <select multiple> that site.js turns into a search-as-you-type picker."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-skill-picker": "", "data-suggest-url": reverse_lazy("web:skill_suggestions"),
                                "size": "8", **(attrs or {})})


class ChallengeForm(PageForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(), empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=128,
                            widget=forms.TextInput(attrs={"placeholder": _("例：精馏塔蒸汽单耗偏高")}))
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("现状、目标、已尝试的办法、设备与工艺条件。"))
    category = forms.ChoiceField(label=_("类别"), choices=[("", "—")] + list(Category.choices))
    skills = SkillMultipleChoiceField(label=_("所需技能"), queryset=Skill.objects.order_by("code"),
                                      required=False, widget=SkillPicker)
    preferred_province = forms.ChoiceField(label=_("期望地区（省）"), required=False,
                                           choices=[("", _("不限"))] + list(Province.choices))
    preferred_city = forms.CharField(label=_("期望地区（市）"), max_length=32, required=False)
    region_strictness = forms.ChoiceField(label=_("地区要求"), choices=Challenge.RegionStrictness.choices,
                                          initial=Challenge.RegionStrictness.SOFT)

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises if enterprises is not None else Enterprise.objects.none()
        only = list(enterprises[:2]) if enterprises is not None else []
        self._only_enterprise = only[0] if len(only) == 1 else None
        if self._only_enterprise is not None:  # one enterprise: nothing to choose
            self.fields["enterprise"].required = False
            self.fields["enterprise"].widget = forms.HiddenInput()
            self.fields["enterprise"].initial = self._only_enterprise.pk

    def clean_enterprise(self):
        return self.cleaned_data.get("enterprise") or self._only_enterprise

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("enterprise", None)
        data["skills"] = list(data.get("skills") or [])
        return data


class CloseChallengeForm(PageForm):
    reason = forms.CharField(label=_("关闭原因"), required=False, max_length=500)


class EnterpriseSignupForm(NoColonMixin, UserCreationForm):
    """A new account plus the enterprise it registers (verified later by the secretariat)."""

    email = forms.EmailField(label=_("邮箱"))
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=128)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=32,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    province = forms.ChoiceField(label=_("省份"), choices=[("", "—")] + list(Province.choices))
    city = forms.CharField(label=_("城市"), max_length=32)
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    size = forms.ChoiceField(label=_("规模"), choices=Enterprise.Size.choices, initial=Enterprise.Size.MEDIUM)

    # enterprise_register's field names → this form's.
    SERVICE_FIELD_MAP = {"name": "enterprise_name"}

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def enterprise_fields(self) -> dict:
        d = self.cleaned_data
        return dict(name=d["enterprise_name"], credit_code=d["credit_code"], province=d["province"],
                    city=d["city"], industry=d["industry"], size=d["size"])


class ExpertSignupForm(NoColonMixin, UserCreationForm):
    token = forms.CharField(widget=forms.HiddenInput())

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)


class InvitationSignupForm(NoColonMixin, UserCreationForm):
    """The invitation link's page: the expert's new account and their answer, in one form."""

    answer = forms.ChoiceField(label=_("您的答复"), choices=(("accept", _("接受邀请")), ("decline", _("婉拒邀请"))),
                               widget=forms.RadioSelect, initial="accept")
    note = forms.CharField(label=_("给企业的留言（可选）"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)

    def __init__(self, *args, answer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not answer:  # accepted already (a liaison recorded it): the account only
            del self.fields["answer"], self.fields["note"]


class RecordResponseForm(PageForm):
    """A liaison records the answer an expert gave by phone or in person (代为答复)."""

    answer = forms.ChoiceField(label=_("专家的答复"), choices=(("accept", _("接受")), ("decline", _("婉拒"))),
                               widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("答复方式"), choices=[(c.value, c.label) for c in ON_BEHALF_CHANNELS])
    note = forms.CharField(label=_("答复内容与说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PaperAgreementForm(PageForm):
    """The scan of the paper agreement both sides signed on site."""

    file = forms.FileField(label=_("纸质意向书扫描件（PDF、JPEG 或 PNG）"))
    signed_on = forms.DateField(label=_("纸上的签署日期"), widget=forms.DateInput(attrs={"type": "date"}))


class ClaimSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、工作单位或电话"), required=False, max_length=100)


class ExpertProfileForm(PageForm):
    professional_title = forms.CharField(label=_("职称/技能等级"), max_length=64, required=False)
    position = forms.CharField(label=_("职务"), max_length=64, required=False)
    city = forms.CharField(label=_("城市"), max_length=32)
    bio = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    achievements = forms.CharField(label=_("主要成果"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    skills = SkillMultipleChoiceField(label=_("技能"), queryset=Skill.objects.order_by("code"),
                                      required=False, widget=SkillPicker)
    capacity = forms.IntegerField(label=_("可同时结对数"), min_value=0, max_value=20)
    accepting_pairings = forms.BooleanField(label=_("接受结对邀请"), required=False)
    accepts_remote = forms.BooleanField(label=_("接受远程指导"), required=False)
    phone = forms.CharField(label=_("电话（仅结对企业与秘书处可见）"), max_length=32, required=False)
    email = forms.EmailField(label=_("邮箱（仅结对企业与秘书处可见）"), required=False)
    conflicts = forms.ModelMultipleChoiceField(
        label=_("申报回避的企业（仅本人和秘书处可见）"), queryset=Enterprise.objects.filter(verified=True).order_by("name"),
        required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("与您存在利益冲突的企业（如原单位、亲属任职的企业）：平台不会为这些企业及其同一集团的企业推荐您。"),
    )

    @classmethod
    def for_expert(cls, expert: Expert, data=None):
        initial = {name: getattr(expert, name) for name in cls.base_fields if name not in ("skills", "conflicts")}
        initial["skills"] = list(expert.skills.values_list("pk", flat=True))
        initial["conflicts"] = list(expert.conflicts.values_list("pk", flat=True))
        return cls(data=data, initial=initial)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["skills"] = list(data["skills"])
        data["conflicts"] = list(data["conflicts"])
        return data


class NoteForm(PageForm):
    note = forms.CharField(label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class InviteForm(PageForm):
    """An invitation and what the printed 结对意向书 will say: goals, term and deliverables (all optional; the
    service checks that the term does not end before it starts)."""

    message = forms.CharField(label=_("邀请留言"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(label=_("结对目标"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例：蒸汽单耗降低 10%")}))
    start_date = forms.DateField(label=_("开始日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("结束日期"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    deliverables = forms.CharField(label=_("预期成果"), required=False, max_length=4000,
                                   widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("例：节能改造方案一份，培训班组长 20 人")}))


class OutcomeForm(PageForm):
    outcome_summary = forms.CharField(label=_("成果总结"), widget=forms.Textarea(attrs={"rows": 4}))
    problems_solved = forms.IntegerField(label=_("解决问题数"), min_value=0, required=False)
    savings_yuan = forms.DecimalField(label=_("节约金额（元）"), min_value=0, max_digits=14, decimal_places=2,
                                      required=False)
    workers_trained = forms.IntegerField(label=_("培训人数"), min_value=0, required=False)
    rating = forms.TypedChoiceField(label=_("评分（1–5）"), coerce=int, required=False, empty_value=None,
                                    choices=[("", "—")] + [(i, str(i)) for i in range(5, 0, -1)])


class CatalogSearchForm(PageForm):
    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    province = forms.ChoiceField(label=_("省份"), required=False, choices=[("", _("全部"))] + list(Province.choices))
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部"))] + list(Category.choices))
    honour = forms.CharField(required=False, max_length=64)
    membership = forms.CharField(required=False, max_length=16)
    skill = forms.CharField(required=False, max_length=64)
    page = forms.IntegerField(required=False, min_value=1)


class SkillSuggestForm(PageForm):
    """The skill picker's `?q=`: through a form field like every page input, so a NUL (which PostgreSQL
    cannot compare), or more than the picker ever sends, is a 400 with the field's message, never a query."""

    q = forms.CharField(required=False, max_length=64)


class ApplicationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.studio.name


class BatchForm(PageForm):
    name = forms.CharField(label=_("批次名称"), max_length=64, widget=forms.TextInput(attrs={"placeholder": _("例：第二批")}))
    applications = ApplicationChoiceField(label=_("编入本批的工作室"), queryset=None,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = MembershipApplication.objects.filter(
            pk__in=[a.pk for a in applications]).select_related("studio").order_by("pk")


class RosterUploadForm(NoColonMixin, forms.Form):
    """The secretariat's roster upload: which roster, and the file (the preview comes before any import)."""

    kind = forms.ChoiceField(label=_("名册类型"))
    file = forms.FileField(label=_("名册文件"), help_text=_(".xlsx 或 .csv（UTF-8 或 GB18030）；先预检查，确认后才导入"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds]


class SkillCurationForm(NoColonMixin, forms.Form):
    """The secretariat's curation of one skill: its names, category and description, and its synonyms and typical
    problems as lists — words to remove (checked), words removed earlier to restore, new words to add."""

    name = forms.CharField(label=_("名称"), max_length=64)
    name_en = forms.CharField(label=_("英文名称"), max_length=128, required=False)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    remove_synonyms = forms.MultipleChoiceField(label=_("删除同义词"), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    restore_synonyms = forms.MultipleChoiceField(label=_("恢复同义词"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    add_synonyms = forms.CharField(label=_("新增同义词"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("多个词用“、”、逗号或换行分隔"))
    remove_problems = forms.MultipleChoiceField(label=_("删除典型问题"), required=False,
                                                widget=forms.CheckboxSelectMultiple)
    restore_problems = forms.MultipleChoiceField(label=_("恢复典型问题"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    add_problems = forms.CharField(label=_("新增典型问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("企业描述问题时的说法：症状、目标、设备；多个用“、”、逗号或换行分隔"))

    def __init__(self, *args, skill, removed_words, **kwargs):
        kwargs.setdefault("initial", {"name": skill.name, "name_en": skill.name_en, "category": skill.category,
                                      "description": skill.description})
        super().__init__(*args, **kwargs)
        self.skill = skill
        for key, field in (("synonym", "synonyms"), ("problem", "problems")):
            self.fields[f"remove_{field}"].choices = [(w, w) for w in getattr(skill, field) or ()]
            self.fields[f"restore_{field}"].choices = [(w, w) for w in removed_words[key]]

    def words(self, field: str) -> list[str]:
        """The list `field` ("synonyms" / "problems") as the form leaves it: kept words in their order, then the
        restored ones, then the new ones."""
        data = self.cleaned_data
        removed = set(data.get(f"remove_{field}") or ())
        kept = [w for w in getattr(self.skill, field) or () if w not in removed]
        return kept + [w for w in [*(data.get(f"restore_{field}") or ()), *split_words(data.get(f"add_{field}"))]
                       if w not in kept]

    def changes(self) -> dict:
        """The service's arguments: the changed fields and both word lists."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("name", "name_en", "category", "description")
                  if data[name] != getattr(self.skill, name)}
        return {**fields, "synonyms": self.words("synonyms"), "problems": self.words("problems")}


class CampaignReportForm(NoColonMixin, forms.Form):
    """The campaign report's question: dates (from / to, as REST names them), province, category; all optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=_("起始日期"), required=False, widget=date)
        self.fields["to"] = forms.DateField(label=_("截止日期"), required=False, widget=date)
        self.fields["province"] = forms.ChoiceField(label=_("省份"), required=False,
                                                    choices=[("", _("全部"))] + list(Province.choices))
        self.fields["category"] = forms.ChoiceField(label=_("需求类别"), required=False,
                                                    choices=[("", _("全部"))] + list(Category.choices))


class NotificationPreferencesForm(PageForm):
    """Channels besides the inbox (which is always on), the mobile number SMS go to, the language."""

    email_enabled = forms.BooleanField(label=_("邮件通知"), required=False)
    sms_enabled = forms.BooleanField(label=_("短信通知"), required=False)
    phone = forms.CharField(label=_("手机号"), required=False, max_length=32,
                            help_text=_("短信发到这个号码；劳模工匠不填时发到名录中的电话。"))
    language = forms.ChoiceField(label=_("通知语言"), choices=settings.LANGUAGES)
