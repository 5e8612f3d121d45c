"""The secretariat curates the skill taxonomy: areas and skills, their synonyms and typical problems as lists of
words (never raw JSON), with a preview of the experts a change affects. Every word shows who added it (the
shipped taxonomy file or a member of the secretariat); `load_taxonomy` keeps what is curated here.

    /secretariat/taxonomy/          the areas and their skills
    /secretariat/taxonomy/<pk>/     one skill: edit, preview (POST preview), save (POST save)

The rules are experts.services' (skill_update → skill_words_set), the preview experts.selectors'.
"""
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from experts.models import SkillWord
from experts.selectors import skill_change_preview, skill_list, skill_word_records
from experts.services import skill_update

from ..forms import SkillCurationForm
from .common import call_for_form, secretariat_required

FIELD_MAP = {"synonyms": "add_synonyms", "problems": "add_problems", "name": "name", "name_en": "name_en",
             "category": "category", "description": "description"}


@secretariat_required
def taxonomy(request):
    query = (request.GET.get("q") or "").strip()[:64]
    skills = list(skill_list().annotate(n_experts=Count("experts", distinct=True)).order_by("code"))
    if query:  # a few hundred skills: read in Python (JSON lists store Chinese escaped, so no SQL substring)
        needle = query.lower()
        skills = [s for s in skills if any(needle in (text or "").lower() for text in
                                           (s.name, s.code, s.name_en, *(s.synonyms or ()), *(s.problems or ())))]
    areas = [s for s in skills if s.parent_id is None]
    children = {}
    for skill in skills:
        if skill.parent_id is not None:
            children.setdefault(skill.parent_id, []).append(skill)
    orphans = [s for s in skills if s.parent_id is not None and s.parent_id not in {a.pk for a in areas}]
    return render(request, "frontend_stub/secretariat/taxonomy.html", {
        "areas": [(area, children.get(area.pk, [])) for area in areas],
        "orphans": orphans,
        "query": query,
    })


@secretariat_required
def taxonomy_skill(request, pk):
    skill = get_object_or_404(skill_list(), pk=pk)
    records = skill_word_records(skill)
    removed = {kind: [w for w, row in rows.items() if row.removed_at is not None] for kind, rows in records.items()}
    form = SkillCurationForm(request.POST or None, skill=skill, removed_words=removed)
    preview = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif "save" in request.POST:
            changes = form.changes()
            if call_for_form(form, skill_update, field_map=FIELD_MAP, user=request.user, skill=skill,
                             **changes) is not None:
                messages.success(request, _("已保存：%(name)s") % {"name": changes.get("name", skill.name)})
                return redirect("web:taxonomy_skill", pk=skill.pk)
            status = 400
        else:
            changes = form.changes()
            preview = skill_change_preview(skill, synonyms=changes["synonyms"], problems=changes["problems"])
    return render(request, "frontend_stub/secretariat/taxonomy_skill.html", {
        "skill": skill,
        "form": form,
        "records": records,
        "removed": removed,
        "preview": preview,
        "kinds": SkillWord.Kind,
    }, status=status)
