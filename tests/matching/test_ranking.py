"""Ranking behaviour, as specifications. The real taxonomy, profiles, search index and engine run."""
import pytest

from jianglian.choices import Category, Province
from matching.engine import WEIGHTS, rank_challenge
from matching.selectors import match_reasons
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.usefixtures("taxonomy")

SEAL_MASTER_BIO = "长期从事化工动设备检修，擅长机械密封选型与改进，主持完成多台离心泵密封冲洗方案改造。"
DISTILLATION_BIO = "主持完成精馏塔节能改造，热泵精馏项目年节约蒸汽两万吨。"


def leaking_pumps_challenge(**fields):
    """Written the way a small plant writes: no technical term of the skill area."""
    defaults = dict(
        title="车间几台输送泵老是漏料",
        description="我们车间的几台输送泵隔三差五就往外滴料，换了新件也撑不过一个月，地面天天要冲洗。希望有经验的师傅来看看。",
        category=Category.TECHNOLOGY,
    )
    defaults.update(fields)
    return factories.make_challenge(**defaults)


def test_an_expert_sharing_no_word_with_the_posting_is_found_through_the_taxonomy():
    # given a seal specialist whose profile shares no word with a plain-language posting
    seal_master = factories.make_expert(name="密封师傅", bio=SEAL_MASTER_BIO)
    factories.make_expert(name="精馏专家", bio=DISTILLATION_BIO)
    factories.make_expert(name="安全专家", bio="牵头开展双重预防机制建设。")
    challenge = leaking_pumps_challenge()
    index_everything()

    # when the engine ranks experts
    ranked = rank_challenge(challenge, kind="expert")

    # then the seal specialist comes first, and the reason names the area it was matched through
    assert ranked[0].id == seal_master.pk
    skill = next(entry for entry in ranked[0].breakdown if entry["signal"] == "skill")
    assert "泵与机械密封" in skill["explanation"]["zh-hans"]
    assert skill["value"] > 0.5


def test_led_work_outranks_a_lecture_heard_on_the_same_topic():
    lecture = factories.make_expert(name="听讲座的", bio="参加过机械密封专题讲座。")
    master = factories.make_expert(name="主持的", bio="主持完成机械密封泄漏治理攻关。")
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = [c.id for c in rank_challenge(challenge, kind="expert")]

    assert ranked.index(master.pk) < (ranked.index(lecture.pk) if lecture.pk in ranked else len(ranked))


def test_an_expert_covering_both_needs_outranks_one_covering_the_main_need_only():
    both = factories.make_expert(name="两项都会", bio="主持机械密封改进。熟练掌握设备防腐与衬里修复。")
    one = factories.make_expert(name="只会密封", bio="主持机械密封改进。")
    challenge = leaking_pumps_challenge(
        description="车间的离心泵机封频繁泄漏，平均运行不到三个月就要更换。此外，管道和储罐腐蚀穿孔，到处打补丁。")
    index_everything()

    ranked = [c.id for c in rank_challenge(challenge, kind="expert")]

    assert ranked.index(both.pk) < ranked.index(one.pk)


def test_an_expert_at_capacity_never_outranks_an_available_one_with_the_same_fit():
    # given two experts with the same profile; the one created first (lower id, wins ties) is fully booked
    full = factories.make_expert(name="满负荷", bio=SEAL_MASTER_BIO, capacity=1)
    free = factories.make_expert(name="有空", bio=SEAL_MASTER_BIO, capacity=1)
    factories.make_pairing(expert=full, status="active")
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    ids = [c.id for c in ranked]
    assert ids.index(free.pk) < ids.index(full.pk)
    availability = next(e for e in ranked[ids.index(full.pk)].breakdown if e["signal"] == "availability")
    assert availability["value"] == -1.0
    assert "已满负荷" in availability["explanation"]["zh-hans"]
    assert "At capacity" in availability["explanation"]["en"]


def test_an_expert_not_accepting_pairings_is_penalised_and_says_so():
    paused = factories.make_expert(name="暂停", bio=SEAL_MASTER_BIO, accepting_pairings=False)
    free = factories.make_expert(name="可结对", bio=SEAL_MASTER_BIO)
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    assert [c.id for c in ranked][:2] == [free.pk, paused.pk]
    availability = next(e for e in ranked[1].breakdown if e["signal"] == "availability")
    assert availability["explanation"] == {"zh-hans": "暂不接受结对", "en": "Not accepting pairings"}


def test_a_region_preference_lifts_the_expert_in_the_preferred_province():
    # the enterprise sits in Chongqing, so plain locality favours neither expert
    enterprise = factories.make_enterprise(province=Province.CHONGQING, city="重庆")
    elsewhere = factories.make_expert(name="江苏师傅", bio=SEAL_MASTER_BIO, province=Province.JIANGSU, city="南京")
    preferred = factories.make_expert(name="四川师傅", bio=SEAL_MASTER_BIO, province=Province.SICHUAN, city="自贡")
    challenge = leaking_pumps_challenge(enterprise=enterprise, preferred_province=Province.SICHUAN)
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    ids = [c.id for c in ranked]
    assert ids.index(preferred.pk) < ids.index(elsewhere.pk)
    reason = next(e for e in ranked[ids.index(elsewhere.pk)].breakdown if e["signal"] == "preferred_region")
    assert reason["value"] < 0 and "四川" in reason["explanation"]["zh-hans"]


def test_without_a_preference_the_same_city_wins_a_tie():
    enterprise = factories.make_enterprise(province=Province.SICHUAN, city="自贡")
    far = factories.make_expert(name="外省", bio=SEAL_MASTER_BIO, province=Province.HEBEI, city="沧州")
    near = factories.make_expert(name="同城", bio=SEAL_MASTER_BIO, province=Province.SICHUAN, city="自贡")
    challenge = leaking_pumps_challenge(enterprise=enterprise)
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    assert [c.id for c in ranked][:2] == [near.pk, far.pk]
    region = next(e for e in ranked[0].breakdown if e["signal"] == "region")
    assert region["explanation"] == {"zh-hans": "同城：自贡", "en": "Same city: 自贡"}


def test_reasons_are_the_signals_and_add_up_to_the_score():
    factories.make_expert(name="密封师傅", bio=SEAL_MASTER_BIO)
    challenge = leaking_pumps_challenge()
    index_everything()

    top = rank_challenge(challenge, kind="expert")[0]

    signals = [entry["signal"] for entry in top.breakdown]
    assert signals == [name for name in WEIGHTS if name != "preferred_region"]  # no preference stated
    assert top.score == pytest.approx(sum(e["weight"] * e["value"] for e in top.breakdown), abs=1e-3)
    for entry in top.breakdown:
        assert entry["weight"] == WEIGHTS[entry["signal"]]
        assert entry["explanation"]["zh-hans"] and entry["explanation"]["en"]
    english = match_reasons(top.breakdown, "en")
    assert [r["signal"] for r in english] == signals
    assert english[signals.index("skill")]["explanation"].startswith("mastered Pumps and mechanical seals")


def test_the_text_and_evidence_reasons_read_without_jargon_and_say_when_the_profile_names_nothing_specific():
    # given a seal specialist found through the taxonomy: his profile repeats none of the plant's own words
    seal_master = factories.make_expert(name="密封师傅", bio="擅长机械密封选型与改进，主持离心泵密封改造。")
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    assert [c.id for c in ranked] == [seal_master.pk]
    reasons = {entry["signal"]: entry["explanation"] for entry in ranked[0].breakdown}
    assert reasons["evidence"] == {"zh-hans": "简介未写到需求原文中的具体事物",
                                   "en": "The profile names nothing specific from the posting"}
    assert reasons["text"]["zh-hans"].startswith("与需求原文用词的相关度") and "（最相关的候选人为 1）" in reasons["text"]["zh-hans"]
    assert reasons["text"]["en"].startswith("Wording close to the posting:")
    assert not any("BM25" in text for explained in reasons.values() for text in explained.values())


def test_studios_are_ranked_from_their_members():
    seal_studio = factories.make_studio(name="密封创新工作室")
    other_studio = factories.make_studio(name="节能创新工作室")
    factories.make_expert(name="密封师傅", bio=SEAL_MASTER_BIO, studio=seal_studio)
    factories.make_expert(name="精馏专家", bio=DISTILLATION_BIO, studio=other_studio)
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = rank_challenge(challenge, kind="studio")

    assert ranked[0].id == seal_studio.pk
    skill = next(e for e in ranked[0].breakdown if e["signal"] == "skill")
    assert "密封师傅" in skill["explanation"]["zh-hans"]  # the member it was matched through


def test_a_good_track_record_is_a_small_lift_between_equals():
    newcomer = factories.make_expert(name="新人", bio=SEAL_MASTER_BIO, capacity=5)  # lower id: wins a plain tie
    rated = factories.make_expert(name="做过的", bio=SEAL_MASTER_BIO, capacity=5)
    for rating in (5, 4):
        factories.make_pairing(expert=rated, status="completed", enterprise_rating=rating)
    challenge = leaking_pumps_challenge()
    index_everything()

    ranked = rank_challenge(challenge, kind="expert")

    assert [c.id for c in ranked][:2] == [rated.pk, newcomer.pk]
    track = next(e for e in ranked[0].breakdown if e["signal"] == "track_record")
    assert track["value"] > 0 and track["explanation"]["zh-hans"] == "已完成结对 2 次，平均评分 4.5"
