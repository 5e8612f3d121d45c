"""The secretariat's taxonomy curation page: words as lists with who added each, a preview of the experts a
change affects, saving through experts.services (audited), and a restart of `./dev serve` (load_taxonomy)
that keeps what was curated here."""
import pytest
from django.urls import reverse

from experts.models import Skill, SkillWord
from experts.taxonomy.loader import load_taxonomy
from jianglian.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def distillation():
    load_taxonomy()
    return Skill.objects.get(code="distillation")


def form_data(skill, **changes):
    data = {"name": skill.name, "name_en": skill.name_en, "category": skill.category, "description": skill.description}
    data.update(changes)
    return data


def test_the_list_shows_the_areas_and_finds_a_skill_by_a_synonym(web, secretariat, distillation):
    client = web(secretariat)
    page = client.get(reverse("web:taxonomy")).content.decode()
    assert 'data-skill="distillation"' in page and 'data-skill="heat-exchange"' in page
    found = client.get(reverse("web:taxonomy") + "?q=热泵精馏").content.decode()
    assert 'data-skill="distillation"' in found and 'data-skill="heat-exchange"' not in found


def test_the_skill_page_lists_each_word_with_its_provenance_and_no_json(web, secretariat, distillation):
    page = web(secretariat).get(reverse("web:taxonomy_skill", args=[distillation.pk])).content.decode()
    assert 'data-word="热泵精馏"' in page and "技能分类文件" in page
    assert "[&quot;" not in page and "<textarea" in page  # lists of words, not a JSON text


def test_preview_shows_the_affected_experts_and_saves_nothing(web, secretariat, distillation):
    factories.make_expert(name="王建国", bio="主持精馏节汽改造，效果显著。")
    response = web(secretariat).post(reverse("web:taxonomy_skill", args=[distillation.pk]), form_data(
        distillation, add_synonyms="精馏节汽、塔顶回收", remove_synonyms=["精馏"], preview="1"))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["added"] == ["精馏节汽", "塔顶回收"] and preview["removed"] == ["精馏"]
    assert [e.name for e, _ in preview["experts"]] == ["王建国"]
    assert "王建国" in response.content.decode()
    assert Skill.objects.get(pk=distillation.pk).synonyms == distillation.synonyms  # nothing saved


def test_saving_records_who_audits_and_survives_a_restart(web, secretariat, distillation):
    client = web(secretariat)
    response = client.post(reverse("web:taxonomy_skill", args=[distillation.pk]), form_data(
        distillation, name_en="Distillation and energy (curated)", add_synonyms="精馏节汽\n塔顶回收",
        remove_synonyms=["精馏", "蒸馏"], add_problems="塔顶温度忽高忽低", save="1"))
    assert response.status_code == 302
    skill = Skill.objects.get(pk=distillation.pk)
    assert skill.synonyms[-2:] == ["精馏节汽", "塔顶回收"] and "精馏" not in skill.synonyms
    assert skill.name_en == "Distillation and energy (curated)"
    assert AuditEntry.objects.filter(subject_type="experts.skill", subject_id=skill.pk, actor=secretariat).count() == 2

    load_taxonomy()  # ./dev serve restarted

    skill.refresh_from_db()
    assert "精馏节汽" in skill.synonyms and "精馏" not in skill.synonyms and "塔顶温度忽高忽低" in skill.problems
    assert skill.name_en == "Distillation and energy (curated)"
    page = client.get(reverse("web:taxonomy_skill", args=[skill.pk])).content.decode()
    assert f"{secretariat.username} 于" in page  # who added 精馏节汽
    assert 'data-removed-word="精馏"' in page  # removed words listed apart, to restore


def test_a_removed_word_is_restored_from_the_page(web, secretariat, distillation):
    client = web(secretariat)
    url = reverse("web:taxonomy_skill", args=[distillation.pk])
    client.post(url, form_data(distillation, remove_synonyms=["精馏"], save="1"))
    client.post(url, form_data(distillation, restore_synonyms=["精馏"], save="1"))
    assert "精馏" in Skill.objects.get(pk=distillation.pk).synonyms
    assert SkillWord.objects.get(skill=distillation, kind="synonym", word="精馏").removed_at is None


def test_a_word_too_long_is_said_next_to_the_box_and_nothing_is_saved(web, secretariat, distillation):
    response = web(secretariat).post(reverse("web:taxonomy_skill", args=[distillation.pk]), form_data(
        distillation, add_synonyms="长" * 65, save="1"))
    assert response.status_code == 400
    assert "过长" in str(response.context["form"].errors["add_synonyms"])
    assert Skill.objects.get(pk=distillation.pk).synonyms == distillation.synonyms
