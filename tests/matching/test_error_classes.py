"""The classes of ranking error found on real solved cases, as specifications (issue 11 §1, §4, §6).

Written from plant practice, not from any evaluation corpus: each posting and profile below is invented,
in the words a plant and a craftsman use. The real taxonomy, profiles, search index and engine run.

- the taxonomy is a prior, not the world: a posting about a product or machine the taxonomy has no words for
  is ranked on the evidence in the text, and the reason says the reading was unsure;
- specific evidence wins: a profile naming the posting's machine, product and symptom outranks profiles that
  merely master the area the reading guessed, and the reason lists the words it names;
- the words every profile of an area repeats (压缩机, 检修) are no specific evidence, however often a profile
  repeats them: a practitioner naming the posting's rarer words outranks a crowd of masters of the area, while
  among look-alike profiles nobody stands out and depth decides;
- a job title or an honour (首席技师, 技术能手) is no evidence of a skill area;
- a company introduction is read as one only when it opens with the company: the same words inside a problem
  sentence (…位于…, 主要产品的…) do not hide the problem;
- utilities: a steam-system posting is not an electrolysis or power-saving one; carbon accounting is its own need.
"""
import pytest

from jianglian.choices import Category, Province
from matching.engine import rank_challenge
from matching.engine.needs import sentence_role
from matching.engine.ranking import needs_of
from matching.engine.taxonomy import get_taxonomy
from matching.models import ExpertArea
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.usefixtures("taxonomy")

CATALYST_MASTERS = (
    "长期从事加氢催化剂装填与活化，主持催化剂寿命延长攻关。",
    "擅长催化剂再生与失活分析，牵头完成反应器催化剂更换方案。",
    "主持固定床反应器催化剂装填改进，熟悉催化剂活化操作。",
    "牵头催化剂选型评价，擅长反应器床层温度分布调整。",
)


def reason(candidate, signal):
    return next(entry for entry in candidate.breakdown if entry["signal"] == signal)["explanation"]


def main_areas(challenge):
    taxonomy = get_taxonomy()
    return [taxonomy.areas[need.area_id].code for need in needs_of(challenge).main]


def test_a_profile_naming_the_postings_machine_and_symptom_outranks_generic_mastery_of_the_guessed_area():
    # given four catalyst masters and one operator who has handled exactly this reactor's runaway
    for i, bio in enumerate(CATALYST_MASTERS):
        factories.make_expert(name=f"催化剂专家{i}", bio=bio)
    operator = factories.make_expert(
        name="环氧乙烷内操", skill_tags=["环氧乙烷反应器操作"],
        bio="在环氧乙烷装置当了二十年内操，总结出反应器飞温的预判和处置办法，银催化剂选择性多年保持稳定。")
    challenge = factories.make_challenge(
        title="环氧乙烷反应器飞温，联锁停车频繁", category=Category.TECHNOLOGY,
        description="我厂环氧乙烷装置反应器近半年多次飞温，触发联锁停车，银催化剂选择性也在下降。"
                    "希望找处理过环氧乙烷反应器飞温的内操师傅指导。")
    index_everything()

    # when the engine ranks experts
    ranked = rank_challenge(challenge, kind="expert")

    # then the operator comes first, and the reason lists the posting's own words the profile names
    assert ranked[0].id == operator.pk
    evidence = reason(ranked[0], "evidence")
    assert "环氧乙烷" in evidence["zh-hans"] and "环氧乙烷" in evidence["en"]
    assert ranked[0].values["evidence"] > 0.5


COMPRESSOR_MASTERS = (
    "擅长压缩机检修与故障处理，主持大机组检修，熟悉压缩机气阀维护。",
    "长期从事压缩机检修，牵头压缩机振动故障处理，压缩机气阀检修经验丰富。",
    "主持往复式压缩机大修，擅长压缩机气阀、活塞环检修和故障处理。",
    "精通压缩机检修工艺，带领班组完成大机组检修，主持压缩机故障处理。",
    "擅长压缩机组运行维护，主持压缩机检修与气阀故障处理。",
)


def test_words_the_whole_area_repeats_are_no_specific_evidence_the_rarer_words_of_the_posting_are():
    # given five masters of compressors who all speak of 压缩机, 检修, 气阀, 故障, and one fitter who practised on
    # exactly this machine: the CO2 compressor of a urea plant, its third-stage valves, non-metallic valve plates
    masters = [factories.make_expert(name=f"压缩机专家{i}", bio=bio) for i, bio in enumerate(COMPRESSOR_MASTERS)]
    fitter = factories.make_expert(
        name="尿素装置钳工",
        bio="熟悉尿素装置二氧化碳压缩机，改用非金属阀片并调整三段气阀升程，阀片寿命由两个月延长到一年。")
    challenge = factories.make_challenge(
        title="二氧化碳压缩机三段气阀阀片频繁断裂", category=Category.TECHNOLOGY,
        description="我厂尿素装置二氧化碳压缩机三段气阀阀片平均两个月断裂一次，每次都要停机检修。"
                    "希望找处理过压缩机气阀阀片断裂的师傅指导。")
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    # then the fitter, who practises the area, comes before every master of it, on the posting's rarer words
    assert ranked[0].id == fitter.pk
    assert ExpertArea.objects.get(expert=fitter, skill_id=get_taxonomy().by_code["compressors"]).level == 2
    assert ranked[0].values["evidence"] == 1.0
    named = reason(ranked[0], "evidence")["zh-hans"]
    assert "阀片" in named and "二氧化碳" in named
    # and no master stands out from the others on the words they all share
    assert {c.id for c in ranked[1:6]} == {m.pk for m in masters}
    assert all(c.values["evidence"] < 0.1 for c in ranked[1:6])
    assert "未比其他候选人更具体" in reason(ranked[5], "evidence")["zh-hans"]


def test_among_look_alike_profiles_nobody_stands_out_and_depth_decides():
    # given masters and practitioners of compressors whose profiles use the same words
    masters = [factories.make_expert(name=f"压缩机专家{i}", bio=bio) for i, bio in enumerate(COMPRESSOR_MASTERS[:3])]
    practitioners = [
        factories.make_expert(name=f"压缩机检修工{i}", bio=bio) for i, bio in enumerate((
            "参与压缩机检修与故障处理，熟悉压缩机气阀维护。",
            "参与大机组检修，协助压缩机气阀故障处理。",
        ))
    ]
    challenge = factories.make_challenge(
        title="压缩机气阀故障多", category=Category.TECHNOLOGY,
        description="我厂压缩机气阀故障多，检修频繁。希望找压缩机检修方面的专家指导。")
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    # then nobody has more than a trace of specific evidence, and the masters come before the practitioners
    assert all(c.values["evidence"] < 0.1 for c in ranked)
    assert {c.id for c in ranked[:3]} == {m.pk for m in masters}
    assert {c.id for c in ranked[3:5]} == {p.pk for p in practitioners}


def test_several_profiles_naming_the_same_specific_things_share_the_credit():
    # given two fitters who both name the posting's machine and fix, among masters of the area
    for i, bio in enumerate(COMPRESSOR_MASTERS):
        factories.make_expert(name=f"压缩机专家{i}", bio=bio)
    fitters = [
        factories.make_expert(name=f"尿素装置钳工{i}", bio=bio) for i, bio in enumerate((
            "熟悉尿素装置二氧化碳压缩机，改用非金属阀片，阀片寿命延长到一年。",
            "参与尿素装置二氧化碳压缩机三段气阀改造，阀片断裂问题基本消除。",
        ))
    ]
    challenge = factories.make_challenge(
        title="二氧化碳压缩机三段气阀阀片频繁断裂", category=Category.TECHNOLOGY,
        description="我厂尿素装置二氧化碳压缩机三段气阀阀片平均两个月断裂一次，每次都要停机检修。")
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    # then both come first, each with specific evidence
    assert {c.id for c in ranked[:2]} == {f.pk for f in fitters}
    assert all(c.values["evidence"] > 0.5 for c in ranked[:2])


def test_a_posting_the_taxonomy_hardly_reads_is_ranked_on_its_text_and_says_so():
    # given a quality-management master and a rubber compounder; the posting's only taxonomy word is a plain one
    factories.make_expert(name="质量专家", bio="主持质量管理体系建设，擅长质量改进和客户投诉处理。")
    factories.make_expert(name="质量专家二", bio="牵头开展质量改进攻关，熟悉客户投诉的根本原因分析。")
    factories.make_expert(name="质量专家三", bio="长期从事质量管理，主持QC小组活动。")
    compounder = factories.make_expert(
        name="混炼师傅", bio="从事氟橡胶混炼二十多年，调整过硫化体系和炼胶温度，解决了门尼粘度批次波动。")
    challenge = factories.make_challenge(
        title="氟橡胶混炼胶门尼粘度批次波动大", category=Category.TECHNOLOGY,
        description="我们的氟橡胶混炼胶门尼粘度一批高一批低，客户投诉增多。希望请做过氟橡胶混炼的师傅指导。")
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    assert ranked[0].id == compounder.pk
    unsure = [c for c in ranked if c.id != compounder.pk][0]
    assert "识别把握" in reason(unsure, "skill")["zh-hans"]
    assert "sure" in reason(unsure, "skill")["en"]


def test_a_job_title_or_an_honour_is_no_evidence_of_a_skill_area():
    # given a chief technician whose speciality is crystallisation, and a mentor who really trains apprentices
    chief = factories.make_expert(
        name="首席技师", professional_title="首席技师",
        bio="首席技师，全国技术能手，擅长结晶工艺优化和晶型控制。")
    mentor = factories.make_expert(
        name="带徒师傅", bio="坚持师带徒十五年，带出高级工以上徒弟二十多名，编写岗位操作培训教材。")
    challenge = factories.make_challenge(
        title="老师傅陆续退休，年轻操作工顶不上", category=Category.MANAGEMENT,
        description="车间老师傅三年内要退休一半，年轻人上岗后操作不熟练。想请专家帮我们建立师带徒和岗位培训的办法。")
    index_everything()

    training = get_taxonomy().by_code["skills-training"]
    assert not ExpertArea.objects.filter(expert=chief, skill_id=training).exists()
    assert ExpertArea.objects.get(expert=chief, skill_id=get_taxonomy().by_code["crystallization"]).level == 3
    ranked = [c.id for c in rank_challenge(challenge, kind="expert")]
    assert ranked[0] == mentor.pk


def test_introduction_words_inside_a_problem_sentence_do_not_hide_the_problem():
    assert sentence_role("我公司成立于2001年，主要生产维生素和氨基酸原料药") == "intro"
    assert sentence_role("我们是化工园区内的农药企业，年产值约8亿元") == "intro"
    assert sentence_role("欧洲客户要求我们报送主要产品的碳排放数据，公司从没算过") != "intro"
    assert sentence_role("每年产生的废盐越积越多，仓库快放不下了") != "intro"
    assert sentence_role("反应釜底阀位于楼板下方狭窄处，检修时人钻不进去") != "intro"


def test_carbon_accounting_is_its_own_need_not_energy_saving():
    carbon = factories.make_expert(name="碳核算", bio="牵头完成企业温室气体盘查和碳排放核算，编制年度排放报告。")
    factories.make_expert(name="节电", bio="主持空压机节能改造和电机变频节电，年节电三百万千瓦时。")
    challenge = factories.make_challenge(
        title="客户要我们报产品碳排放数据", category=Category.GREEN,
        description="欧洲客户要求我们报送主要产品的碳排放数据，公司从没算过，能源台账也不全。"
                    "想请专家指导核算方法。")
    index_everything()

    assert main_areas(challenge)[0] == "carbon"
    assert rank_challenge(challenge, kind="expert")[0].id == carbon.pk


def test_a_steam_system_posting_is_not_pulled_to_electrolysis_or_power_saving():
    steam = factories.make_expert(name="蒸汽系统", bio="主持全厂疏水阀普查更换和冷凝水回收改造，蒸汽管线保温整治。")
    factories.make_expert(name="电解节电", bio="主持电解槽整流系统节电改造，年节电数百万千瓦时，熟悉离子膜电解。")
    challenge = factories.make_challenge(
        title="蒸汽管线疏水器大量失效", category=Category.GREEN,
        description="全厂蒸汽管线上的疏水器很多失效，冷凝水直接排进地沟，管线保温也破损了。希望找人做一次诊断。")
    index_everything()

    assert "chlor-alkali" not in main_areas(challenge)
    assert rank_challenge(challenge, kind="expert")[0].id == steam.pk


def test_mastery_of_another_utility_counts_less_than_the_postings_own():
    # given, inside the preferred province, a master of power saving on electrolysis rectifiers, and outside it
    # a master of steam traps and condensate recovery; the posting is about the steam network (soft preference)
    power = factories.make_expert(name="省内节电", province=Province.SICHUAN,
                                  bio="主持电解槽整流系统节电改造，年节电数百万千瓦时。")
    steam = factories.make_expert(name="省外蒸汽", province=Province.JIANGSU, city="南京",
                                  bio="主持全厂蒸汽系统节能改造，疏水阀普查更换，冷凝水回收率提到八成。")
    challenge = factories.make_challenge(
        title="全厂蒸汽管线疏水器失效多，冷凝水回收率低", category=Category.GREEN,
        description="全厂蒸汽管线上的疏水器很多失效，冷凝水直接排进地沟。希望找节能方面的专家做一次诊断。",
        preferred_province=Province.SICHUAN)
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    # then the steam master comes first despite the preference, and the power master's reason says why
    assert [c.id for c in ranked][:2] == [steam.pk, power.pk]
    assert "经验在另一介质：电" in reason(ranked[1], "skill")["zh-hans"]
    assert "another utility" in reason(ranked[1], "skill")["en"]


def test_a_completed_pairing_is_evidence_of_what_the_expert_did():
    skill = get_taxonomy().by_code["crystallization"]
    expert = factories.make_expert(name="结对完成", bio="长期在生产一线工作。")
    solved = factories.make_challenge(title="原料药结晶细粉多，过滤慢")
    solved.skills.set([skill])
    factories.make_pairing(challenge=solved, expert=expert, status="completed", enterprise_rating=5)
    index_everything()

    area = ExpertArea.objects.get(expert=expert, skill_id=skill)
    assert (area.level, area.evidence) == (3, "已完成结对：原料药结晶细粉多，过滤慢")
