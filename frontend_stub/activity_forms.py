"""Forms of the campaign activities' pages (进校园 events, schools' requests, 助企行 service days). They parse what
was typed; alliance.services decide what is allowed (its ValidationError comes back onto the fields)."""
from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.models import OutreachEvent, ServiceDay
from enterprises.models import Enterprise
from experts.models import Expert
from jianglian.choices import Category, Province

from .forms import PageForm

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
# The school form: refused when sent faster than a person types, or from a page older than a day.
FORM_MIN_SECONDS, FORM_MAX_AGE = 3, 24 * 3600
FORM_SALT = "frontend_stub.event_request"


class DateTimeLocalField(forms.DateTimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL))
        super().__init__(**kwargs)


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)


class EventForm(PageForm):
    title = forms.CharField(label=_("名称"), max_length=128)
    school = forms.CharField(label=_("学校"), max_length=128)
    province = forms.ChoiceField(label=_("省份"), choices=[("", "—")] + list(Province.choices))
    city = forms.CharField(label=_("城市"), max_length=32)
    starts_at = DateTimeLocalField(label=_("开始时间"))
    ends_at = DateTimeLocalField(label=_("结束时间"), required=False)
    format = forms.ChoiceField(label=_("形式"), choices=OutreachEvent.Format.choices)
    topic = forms.CharField(label=_("主题"), max_length=256)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000, initial=100)
    audience = forms.CharField(label=_("面向对象"), max_length=256, required=False)

    @classmethod
    def for_event(cls, event, data=None):
        initial = {name: getattr(event, name) for name in cls.base_fields}
        for name in ("starts_at", "ends_at"):
            if initial[name]:
                initial[name] = timezone.localtime(initial[name]).strftime(DATETIME_LOCAL)
        return cls(data=data, initial=initial)

    def changed_fields(self) -> dict:
        """The fields the secretariat changed (an edit sends only those to the service)."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ExpertsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class InviteExpertsForm(PageForm):
    experts = ExpertsField(label=_("劳模工匠"), queryset=Expert.objects.all(), widget=forms.CheckboxSelectMultiple)
    role = forms.CharField(label=_("角色"), max_length=64, required=False, help_text=_("如：主讲、实训指导"))


class ExpertSearchForm(PageForm):
    q = forms.CharField(label=_("按姓名或技能查找"), required=False, max_length=64)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; each is read by the service (type from its bytes, size-capped)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class EventReportForm(PageForm):
    audience_count = forms.IntegerField(label=_("实到人数"), min_value=0, max_value=1000000)
    summary = forms.CharField(label=_("活动总结"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    feedback = forms.CharField(label=_("反馈"), max_length=8000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("照片（JPEG 或 PNG，可多选）"), required=False)


class ReasonForm(PageForm):
    reason = forms.CharField(label=_("原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EventRequestForm(PageForm):
    """The public form. Against floods: the service's limit per address and phone; here a honeypot field people do
    not see, and a signed time stamp (sent faster than a person types, or from a stale page, is refused)."""

    school = forms.CharField(label=_("学校"), max_length=128)
    contact_name = forms.CharField(label=_("联系人"), max_length=64)
    phone = forms.CharField(label=_("联系电话"), max_length=32)
    email = forms.EmailField(label=_("电子邮箱"), required=False, help_text=_("处理结果会发到这里（可不填）"))
    province = forms.ChoiceField(label=_("省份"), choices=[("", "—")] + list(Province.choices))
    city = forms.CharField(label=_("城市"), max_length=32)
    topic = forms.CharField(label=_("希望的主题"), max_length=256,
                            widget=forms.TextInput(attrs={"placeholder": _("例：化工安全生产与精馏节能")}))
    audience = forms.CharField(label=_("面向对象"), max_length=256,
                               widget=forms.TextInput(attrs={"placeholder": _("例：化工专业二年级学生")}))
    audience_size = forms.IntegerField(label=_("预计人数"), min_value=1, max_value=100000, required=False)
    date_1 = DateField(label=_("希望的日期"))
    date_2 = DateField(label=_("备选日期"), required=False)
    date_3 = DateField(label=_("备选日期"), required=False)
    format = forms.ChoiceField(label=_("形式"), choices=OutreachEvent.Format.choices)
    note = forms.CharField(label=_("补充说明"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.CharField(label=_("请勿填写此项"), required=False, max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stamp"] = signing.dumps(timezone.now().timestamp(), salt=FORM_SALT)

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled, or the page was sent back too fast: answered as a success, nothing stored."""
        if self.data.get("website"):
            return True
        try:
            rendered = signing.loads(self.data.get("stamp", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            return False  # a stale or missing stamp: the form says so (clean_stamp)
        return timezone.now().timestamp() - float(rendered) < FORM_MIN_SECONDS

    def clean_stamp(self):
        try:
            signing.loads(self.cleaned_data.get("stamp", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(_("页面已过期，请重新填写。")) from None
        return self.cleaned_data["stamp"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        dates = [data.pop(name) for name in ("date_1", "date_2", "date_3")]
        data.pop("website", None)
        data.pop("stamp", None)
        data["preferred_dates"] = [d for d in dates if d]
        return data


class ServiceDayForm(PageForm):
    title = forms.CharField(label=_("名称"), max_length=128)
    venue = forms.CharField(label=_("地点"), max_length=128)
    venue_kind = forms.ChoiceField(label=_("地点类型"), choices=ServiceDay.VenueKind.choices)
    province = forms.ChoiceField(label=_("省份"), choices=[("", "—")] + list(Province.choices))
    city = forms.CharField(label=_("城市"), max_length=32)
    starts_at = DateTimeLocalField(label=_("开始时间"))
    ends_at = DateTimeLocalField(label=_("结束时间"), required=False)
    description = forms.CharField(label=_("简介"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class EnterprisesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AddEnterprisesForm(PageForm):
    enterprises = EnterprisesField(label=_("企业"), queryset=Enterprise.objects.all(),
                                   widget=forms.CheckboxSelectMultiple)


class QuestionForm(PageForm):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    topic = forms.CharField(label=_("问题"), max_length=128)
    description = forms.CharField(label=_("详细情况"), required=False, max_length=8000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    solved_on_site = forms.BooleanField(label=_("现场解决"), required=False)
    workers_trained = forms.IntegerField(label=_("现场培训职工人数"), min_value=0, max_value=100000, initial=0)
    answered_by = forms.ModelChoiceField(label=_("解答专家"), queryset=Expert.objects.none(), required=False)

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = day.enterprises.order_by("name")
        self.fields["answered_by"].queryset = Expert.objects.filter(service_day_participations__service_day=day)


class SummaryForm(PageForm):
    summary = forms.CharField(label=_("活动总结"), max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))
