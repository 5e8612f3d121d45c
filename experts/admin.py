from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Expert, ExpertHonour, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "category", "parent")
    list_filter = ("category", ("parent", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "name_en", "description")
    autocomplete_fields = ("parent",)
    filter_horizontal = ("related",)
    list_select_related = ("parent",)


class ExpertHonourInline(admin.TabularInline):
    model = ExpertHonour
    extra = 0


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "employer", "province", "city", "studio", "honour_list", "capacity",
                    "accepting_pairings")
    list_filter = ("role", "industry", "province", "accepting_pairings", "accepts_remote", "honours__honour")
    search_fields = ("name", "employer", "city", "bio", "achievements")
    autocomplete_fields = ("user", "studio", "skills")
    readonly_fields = ("created_at", "updated_at")
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
