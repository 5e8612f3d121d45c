"""The curated taxonomy: well-formed, loaded idempotently, and read the way enterprises write."""
import pytest

from experts.models import Skill
from experts.taxonomy import AREAS
from experts.taxonomy.data import MERGED
from experts.taxonomy.loader import load_taxonomy
from matching.engine.needs import challenge_needs
from matching.engine.taxonomy import forget_taxonomy, get_taxonomy


def test_areas_are_well_formed():
    codes = [a["code"] for a in AREAS]
    assert 36 <= len(codes) <= 60 and len(set(codes)) == len(codes)
    assert len({a["name"] for a in AREAS}) == len(AREAS)
    for area in AREAS:
        assert area["category"] in {"technology", "management", "green"}
        assert area["synonyms"] and area["problems"], area["code"]
        assert set(area["related"]) <= set(codes) - {area["code"]}, area["code"]
    assert not set(MERGED) & set(codes)


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time():
    first = load_taxonomy()
    second = load_taxonomy()
    assert first["created"] == len(AREAS)
    assert second == {"areas": len(AREAS), "created": 0, "updated": 0}
    distillation = Skill.objects.get(code="distillation")
    assert set(distillation.related.values_list("code", flat=True)) == set(
        next(a for a in AREAS if a["code"] == "distillation")["related"])


@pytest.mark.django_db
def test_a_retired_area_becomes_a_child_of_the_area_it_joined():
    Skill.objects.create(code="validation", name="验证与确认", synonyms=["清洁验证"])
    load_taxonomy()
    forget_taxonomy()
    taxonomy = get_taxonomy()
    retired = Skill.objects.get(code="validation")
    assert retired.parent.code == "gmp-compliance"
    assert taxonomy.area_of(retired.pk) == taxonomy.by_code["gmp-compliance"]


@pytest.mark.django_db
@pytest.mark.parametrize("title, description, area", [
    ("装置蒸汽用量太大", "每生产一吨产品要烧掉将近两吨蒸汽，锅炉都快供不上了。", "distillation"),
    ("管道老是烂穿", "厂里的管子用不了两年就锈穿了，到处打补丁。", "corrosion"),
    ("厂界有异味", "一到晚上厂区周边就有刺鼻的气味，居民经常投诉。", "vocs"),
    ("车间太乱", "车间东西乱摆乱放，找个工具要半天。", "lean"),
    ("釜里温度控不住", "加料快了温度就往上冲，有两次差点冲料。", "reaction-safety"),
])
def test_plain_words_lead_to_the_right_area(title, description, area):
    load_taxonomy()
    forget_taxonomy()
    taxonomy = get_taxonomy()
    needs = challenge_needs(taxonomy, title=title, description=description)
    assert taxonomy.areas[needs.main[0].area_id].code == area
