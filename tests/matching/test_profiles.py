"""How deep a profile masters an area, read from the words around each mention (own wording, not a corpus)."""
import pytest

from experts.taxonomy.loader import load_taxonomy
from matching.engine.profiles import profile_areas
from matching.engine.taxonomy import forget_taxonomy, get_taxonomy

BIOGRAPHIES = [
    ("作为第一完成人，研制了新型机泵密封结构，获国家专利。", "pumps-seals", 3),
    ("全面负责公司污水站的运行管理，出水稳定达标。", "wastewater", 3),
    ("是厂里公认的焊接能手，多次在技能大赛中获奖。", "welding", 3),
    ("组织编写了结晶岗位操作规程，解决了产品粒度不均问题。", "crystallization", 3),
    ("日常负责催化剂的装填和更换。", "catalysis", 3),
    ("跟随师傅参加了多次DCS系统升级。", "process-control", 2),
    ("协助完成了LDAR项目的现场检测。", "vocs", 2),
    ("对VOCs治理有一定了解。", "vocs", 1),
    ("曾随队赴兄弟单位学习热泵精馏技术。", "distillation", 1),
    ("听过两次关于GMP的专题报告。", "gmp-compliance", 0),
]


@pytest.fixture
def taxonomy(db):
    load_taxonomy()
    forget_taxonomy()
    return get_taxonomy()


@pytest.mark.parametrize("bio, area, level", BIOGRAPHIES)
def test_the_level_follows_the_words_around_the_mention(taxonomy, bio, area, level):
    levels = {taxonomy.areas[a].code: found for a, (found, _) in profile_areas(taxonomy, texts=[bio]).items()}
    assert levels.get(area) == level, levels


def test_the_best_evidence_wins_and_is_kept_for_the_explanation(taxonomy):
    areas = profile_areas(taxonomy, tags=["机械密封"], texts=["参加过机封讲座。主持离心泵机械密封改造。"])
    level, evidence = areas[taxonomy.by_code["pumps-seals"]]
    assert level == 3 and evidence == "主持离心泵机械密封改造"
