from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from jianglian.admin import ReadOnlyAdmin

from .models import Expert, ExpertHonour, Skill, SkillWord
from .services import SKILL_EDITABLE_FIELDS, SKILL_WORD_MAX, skill_create, skill_update, split_words


class WordListField(forms.CharField):
    """A list of words edited as text, one word a line (、 and commas separate too): never raw JSON."""

    widget = forms.Textarea(attrs={"rows": 8, "cols": 60})

    def __init__(self, *, max_word_length, **kwargs):
        self.max_word_length = max_word_length
        super().__init__(required=False, strip=False, **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return split_words(value)

    def validate(self, value):
        too_long = [w for w in value if len(w) > self.max_word_length]
        if too_long:
            raise ValidationError(_("“%(word)s…”过长：每个词最多 %(max)s 个字符。")
                                  % {"word": too_long[0][:10], "max": self.max_word_length})

    def has_changed(self, initial, data):
        return list(initial or []) != self.to_python(data)


class SkillAdminForm(forms.ModelForm):
    synonyms = WordListField(max_word_length=SKILL_WORD_MAX[SkillWord.Kind.SYNONYM], label=_("同义词"),
                             help_text=_("每行一个词"))
    problems = WordListField(max_word_length=SKILL_WORD_MAX[SkillWord.Kind.PROBLEM], label=_("典型问题"),
                             help_text=_("每行一个：企业描述问题时的说法"))

    class Meta:
        model = Skill
        fields = ("code", "name", "name_en", "category", "parent", "synonyms", "problems", "related", "description")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """The taxonomy in the admin: edits go through experts.services (curated fields and each word's provenance
    recorded, audited), so load_taxonomy keeps them as it keeps the curation page's."""

    form = SkillAdminForm
    list_display = ("code", "name", "name_en", "category", "parent")
    list_filter = ("category", ("parent", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "name_en", "description")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("related",)
    list_select_related = ("parent",)
    readonly_fields = ("provenance",)

    @admin.display(description=_("词的来源"))
    def provenance(self, skill):
        """Who added (or removed) each word: the shipped taxonomy file or a member of the secretariat."""
        if skill.pk is None:
            return "—"
        rows = skill.words.select_related("added_by", "removed_by").order_by("kind", "id")
        return format_html_join(
            "", "<div>{} · {} · {}{}</div>",
            ((row.get_kind_display(), row.word,
              row.added_by.username if row.added_by else row.get_source_display(),
              format_html("（{} {}）", _("已删除"), row.removed_by.username if row.removed_by else "—")
              if row.removed_at else "") for row in rows),
        ) or "—"

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in SKILL_EDITABLE_FIELDS}
        if change:
            saved = skill_update(user=request.user, skill=Skill.objects.get(pk=obj.pk), **fields)
        else:
            fields = {k: v for k, v in fields.items() if k not in ("code", "name")}
            saved = skill_create(user=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"],
                                 **fields)
            obj.pk = saved.pk
            obj._state.adding = False
            obj._state.db = saved._state.db


class ExpertHonourInline(admin.TabularInline):
    model = ExpertHonour
    extra = 0


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "employer", "province", "city", "studio", "honour_list", "capacity",
                    "accepting_pairings")
    list_filter = ("role", "industry", "province", "accepting_pairings", "accepts_remote", "honours__honour")
    search_fields = ("name", "employer", "city", "bio", "achievements")
    autocomplete_fields = ("studio", "skills")
    # The account is linked only by the expert's claim link (experts.services.expert_claim_token / expert_claim,
    # issued from the secretariat's dashboard), never by picking a user here.
    readonly_fields = ("user", "created_at", "updated_at")
    list_select_related = ("studio",)
    inlines = [ExpertHonourInline]
    fieldsets = (
        (None, {"fields": ("name", "gender", "birth_year", "role", "professional_title", "position", "user")}),
        (_("单位与地区"), {"fields": ("employer", "province", "city", "industry", "studio")}),
        (_("专长"), {"fields": ("skills", "skill_tags", "bio", "achievements")}),
        (_("结对"), {"fields": ("capacity", "accepting_pairings", "accepts_remote")}),
        (_("联系方式（仅秘书处与已结对企业可见）"), {"fields": ("phone", "email")}),
        (_("记录"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("honours")

    @admin.display(description=_("荣誉"))
    def honour_list(self, obj):
        return "、".join(h.get_honour_display() for h in obj.honours.all())


@admin.register(ExpertHonour)
class ExpertHonourAdmin(admin.ModelAdmin):
    list_display = ("expert", "honour", "year")
    list_filter = ("honour",)
    search_fields = ("expert__name",)
    autocomplete_fields = ("expert",)
    list_select_related = ("expert",)


@admin.register(SkillWord)
class SkillWordAdmin(ReadOnlyAdmin):
    """Each synonym and problem word with its provenance: changed through the skill's form (and the taxonomy
    page), read here."""

    list_display = ("word", "kind", "skill", "source", "added_by", "added_at")
    list_filter = ("kind", "source")
    search_fields = ("word", "skill__name", "skill__code")
    list_select_related = ("skill", "added_by")
