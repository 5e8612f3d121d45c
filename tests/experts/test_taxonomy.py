"""The taxonomy the secretariat curates (issue 13 §4): synonyms and problem words as lists with each word's
provenance (experts.services.skill_words_set, skill_update), load_taxonomy's merge that keeps every curated
edit and still brings the file's new entries, the preview of the experts a change affects, REST and the admin.
"""
import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from experts.models import Skill, SkillWord
from experts.selectors import skill_change_preview
from experts.services import skill_create, skill_update, skill_words_set
from experts.taxonomy import AREAS
from experts.taxonomy.loader import load_taxonomy
from jianglian.errors import NotAllowed
from jianglian.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_taxonomy()
    return Skill.objects.get(code="distillation")


def words(skill, kind="synonym"):
    return {w.word: w for w in SkillWord.objects.filter(skill=skill, kind=kind)}


# --- curating words ---------------------------------------------------------------------------------------------


def test_the_shipped_words_are_recorded_as_the_files(loaded):
    recorded = words(loaded)
    assert set(recorded) == set(loaded.synonyms) and {w.source for w in recorded.values()} == {"taxonomy"}
    assert set(words(loaded, "problem")) == set(loaded.problems)


def test_the_secretariat_adds_and_removes_words_and_each_change_records_who(loaded, secretariat):
    skill_words_set(user=secretariat, skill=loaded, synonyms=[*loaded.synonyms[1:], "精馏节汽", " 热泵  精馏塔 "])
    loaded.refresh_from_db()
    assert loaded.synonyms[-2:] == ["精馏节汽", "热泵 精馏塔"] and "精馏" not in loaded.synonyms
    recorded = words(loaded)
    assert (recorded["精馏节汽"].source, recorded["精馏节汽"].added_by) == ("secretariat", secretariat)
    assert (recorded["精馏"].removed_by, recorded["精馏"].source) == (secretariat, "taxonomy")
    entry = AuditEntry.objects.get(subject_type="experts.skill", subject_id=loaded.pk, action="skill_words")
    assert entry.actor == secretariat and "+精馏节汽" in entry.note and "−精馏" in entry.note
    assert loaded.curated_by == secretariat


def test_a_removed_word_added_again_is_in_force_again(loaded, secretariat):
    skill_words_set(user=secretariat, skill=loaded, synonyms=loaded.synonyms[1:])
    skill_words_set(user=secretariat, skill=Skill.objects.get(pk=loaded.pk), synonyms=["精馏", *loaded.synonyms[1:]])
    row = words(loaded)["精馏"]
    assert row.removed_at is None and row.added_by == secretariat and "精馏" in Skill.objects.get(pk=loaded.pk).synonyms


@pytest.mark.parametrize("given, message", [
    (["x" * 65], "过长"),
    ("精馏", "列表"),
    ([1, 2], "列表"),
])
def test_bad_word_lists_are_field_errors_and_change_nothing(loaded, secretariat, given, message):
    before = list(loaded.synonyms)
    with pytest.raises(ValidationError) as refused:
        skill_words_set(user=secretariat, skill=loaded, synonyms=given)
    assert message in str(refused.value.message_dict["synonyms"])
    assert Skill.objects.get(pk=loaded.pk).synonyms == before


def test_only_the_secretariat_curates(loaded, enterprise_user, expert_user):
    for user in (enterprise_user[0], expert_user[0]):
        with pytest.raises(NotAllowed):
            skill_words_set(user=user, skill=loaded, synonyms=[])
        with pytest.raises(NotAllowed):
            skill_update(user=user, skill=loaded, name="x")


# --- load_taxonomy keeps what was curated and brings the file's new entries ---------------------------------------


def test_a_restart_keeps_the_secretariats_words_names_and_removals(loaded, secretariat):
    skill_update(user=secretariat, skill=loaded, name_en="Distillation (curated)",
                 synonyms=[*loaded.synonyms[1:], "精馏节汽"], problems=[*loaded.problems, "塔顶温度忽高忽低"])
    load_taxonomy()  # what ./dev serve runs at every start
    skill = Skill.objects.get(pk=loaded.pk)
    assert "精馏节汽" in skill.synonyms and "精馏" not in skill.synonyms  # added kept, removed not brought back
    assert "塔顶温度忽高忽低" in skill.problems
    assert skill.name_en == "Distillation (curated)" and skill.curated_fields == ["name_en"]


def test_a_restart_brings_the_files_new_areas_and_words_and_fixes_what_nobody_curated(loaded, secretariat):
    skill_update(user=secretariat, skill=loaded, synonyms=[*loaded.synonyms, "精馏节汽"])
    Skill.objects.filter(code="heat-exchange").update(name_en="stale")  # an older file's text, never curated
    shipped = copy.deepcopy(AREAS)
    distillation = next(a for a in shipped if a["code"] == "distillation")
    distillation["synonyms"].append("隔壁塔改造")  # the new version of the file adds a word …
    distillation["problems"].append("塔釜液位波动")
    shipped.append({**copy.deepcopy(distillation), "code": "new-area", "name": "新领域", "name_en": "New area",
                    "synonyms": ["新词"], "problems": [], "related": []})  # … and an area

    result = load_taxonomy(areas=shipped)

    skill = Skill.objects.get(pk=loaded.pk)
    assert skill.synonyms[-2:] == ["精馏节汽", "隔壁塔改造"] and skill.problems[-1] == "塔釜液位波动"
    assert words(skill)["隔壁塔改造"].source == "taxonomy"
    assert Skill.objects.get(code="new-area").synonyms == ["新词"]
    assert Skill.objects.get(code="heat-exchange").name_en != "stale"
    assert (result["created"], result["words_added"]) == (1, 2)
    assert load_taxonomy(areas=shipped) == {"areas": len(shipped), "created": 0, "updated": 0, "words_added": 0}


def test_words_in_force_from_before_records_are_kept_and_recorded(secretariat):
    load_taxonomy()
    skill = Skill.objects.get(code="distillation")
    SkillWord.objects.filter(skill=skill).delete()  # a database from before this change
    Skill.objects.filter(pk=skill.pk).update(synonyms=[*skill.synonyms, "老库里的词"])
    load_taxonomy()
    skill.refresh_from_db()
    assert "老库里的词" in skill.synonyms
    assert words(skill)["老库里的词"].source == "secretariat" and words(skill)["精馏"].source == "taxonomy"


def test_a_skill_the_secretariat_creates_is_curated_whole(secretariat):
    skill = skill_create(user=secretariat, code="my-area", name="自建领域", synonyms=["甲", "乙"])
    assert skill.curated_fields == ["name"] and [w.source for w in words(skill).values()] == ["secretariat"] * 2


# --- the preview of the experts a change affects ----------------------------------------------------------------


def test_the_preview_lists_the_experts_whose_texts_mention_an_added_or_removed_word(loaded):
    bio = factories.make_expert(name="甲", bio="主持精馏节汽改造。")
    tag = factories.make_expert(name="乙", skill_tags=["回流比调优"])
    factories.make_expert(name="丙", bio="从事污水处理。")
    listed = factories.make_expert(name="丁", skills=[loaded])
    preview = skill_change_preview(loaded, synonyms=[*loaded.synonyms, "精馏节汽"],
                                   problems=[p for p in loaded.problems if p != "回流"] + ["回流比调优"])
    assert preview["added"] == ["精馏节汽", "回流比调优"] and preview["removed"] == ["回流"]
    assert {e.name: ws for e, ws in preview["experts"]} == {"甲": ["精馏节汽"], "乙": ["回流比调优", "回流"]}
    assert (preview["count"], preview["with_skill"]) == (2, 1)
    assert listed not in [e for e, _ in preview["experts"]] and bio and tag


# --- REST and the admin go through the same rules ---------------------------------------------------------------


def test_rest_updates_record_the_words_provenance(loaded, secretariat, client_for):
    response = client_for(secretariat).patch(f"/api/v1/skills/{loaded.pk}/",
                                             {"synonyms": [*loaded.synonyms, "精馏节汽"]}, format="json")
    assert response.status_code == 200 and "精馏节汽" in response.json()["synonyms"]
    assert words(loaded)["精馏节汽"].added_by == secretariat
    too_long = client_for(secretariat).patch(f"/api/v1/skills/{loaded.pk}/", {"synonyms": ["x" * 65]}, format="json")
    assert too_long.status_code == 400 and "synonyms" in too_long.json()["errors"]


def test_the_admin_edits_words_as_lists_and_records_who(loaded, secretariat, client):
    secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    url = reverse("admin:experts_skill_change", args=[loaded.pk])
    page = client.get(url).content.decode()
    assert 'name="synonyms"' in page and "[&quot;" not in page  # one word a line, no JSON
    data = {"code": loaded.code, "name": loaded.name, "name_en": loaded.name_en, "category": loaded.category,
            "parent": "", "description": "", "synonyms": "\n".join([*loaded.synonyms[1:], "精馏节汽"]),
            "problems": "\n".join(loaded.problems), "related": [s.pk for s in loaded.related.all()]}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    skill = Skill.objects.get(pk=loaded.pk)
    assert skill.synonyms[-1] == "精馏节汽" and "精馏" not in skill.synonyms
    assert words(skill)["精馏节汽"].added_by == secretariat and words(skill)["精馏"].removed_by == secretariat
