"""Storing rankings: Match rows replace the previous ones, with rank, score, breakdown and version."""
import pytest
from django.db import transaction

from matching.engine import ALGORITHM_VERSION
from matching.models import Match
from experts.services import skill_create, skill_update
from matching.services import challenge_matches_compute, expert_changed
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.usefixtures("taxonomy")


def test_computing_twice_stores_one_ranking_per_kind():
    seal_studio = factories.make_studio()
    seal_master = factories.make_expert(bio="擅长机械密封选型与改进。", studio=seal_studio)
    factories.make_expert(bio="主持精馏塔节能改造。")
    challenge = factories.make_challenge(title="输送泵老是漏料", description="几台输送泵隔三差五往外滴料。")
    index_everything()

    challenge_matches_compute(challenge=challenge)
    stored = challenge_matches_compute(challenge=challenge)

    rows = list(Match.objects.filter(challenge=challenge).order_by("kind", "rank"))
    assert stored == len(rows)
    experts = [m for m in rows if m.kind == "expert"]
    assert [m.rank for m in experts] == list(range(1, len(experts) + 1))
    assert experts[0].expert_id == seal_master.pk and experts[0].algorithm_version == ALGORITHM_VERSION
    assert [m.studio_id for m in rows if m.kind == "studio"][0] == seal_studio.pk
    assert all(m.breakdown for m in rows)


def test_an_expert_who_learns_a_needed_skill_gets_ranked(django_capture_on_commit_callbacks):
    challenge = factories.make_challenge(title="输送泵老是漏料", description="几台输送泵隔三差五往外滴料。",
                                         skills=[])
    newcomer = factories.make_expert(bio="长期从事精馏操作。")
    index_everything()
    challenge_matches_compute(challenge=challenge)
    assert not Match.objects.filter(challenge=challenge, expert=newcomer).exists()

    newcomer.bio = "擅长机械密封维修，主持完成多台离心泵密封改造。"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        newcomer.save()  # the receiver queues refresh_expert; eager Celery runs it, which queues the challenge

    assert newcomer.derived_areas.filter(level=3, skill__code="pumps-seals").exists()
    assert Match.objects.get(challenge=challenge, kind="expert", rank=1).expert_id == newcomer.pk
    assert expert_changed(expert_id=newcomer.pk) == 1  # the challenge that needs pumps and seals


def test_many_changes_to_one_expert_in_one_transaction_queue_one_refresh(django_capture_on_commit_callbacks):
    expert = factories.make_expert(bio="长期从事精馏操作。")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        expert.bio = "擅长机械密封维修。"
        expert.save()
        expert.capacity = 3
        expert.save()
        expert.skills.add(factories.make_skill())
    assert [c.name for c in callbacks if hasattr(c, "name")].count("matching.refresh_expert") == 1


def test_a_skill_added_to_the_taxonomy_reaches_experts_who_already_wrote_about_it(django_capture_on_commit_callbacks):
    secretariat = factories.make_secretariat()
    pioneer = factories.make_expert(bio="主持加氢站储氢罐安全改造。")
    challenge = factories.make_challenge(title="加氢站储氢罐泄漏检测", description="想找做过加氢站储氢罐改造的师傅。",
                                         skills=[])
    index_everything()
    challenge_matches_compute(challenge=challenge)
    before = Match.objects.get(challenge=challenge, kind="expert", expert=pioneer)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill_create(user=secretariat, code="hydrogen", name="氢能储运", category="green", synonyms=["加氢站", "储氢罐"])

    assert pioneer.derived_areas.filter(skill__code="hydrogen", level=3).exists()
    after = Match.objects.get(challenge=challenge, kind="expert", expert=pioneer)  # the open challenge, ranked again
    skill_reason = next(signal for signal in after.breakdown if signal["signal"] == "skill")
    assert "氢能储运" in skill_reason["explanation"]["zh-hans"]
    assert "mastered 氢能储运" in skill_reason["explanation"]["en"]  # no English name yet: the Chinese one
    assert after.score > before.score


def test_an_edited_synonym_is_used_by_the_next_derivation(django_capture_on_commit_callbacks):
    secretariat = factories.make_secretariat()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill = skill_create(user=secretariat, code="hydrogen", name="氢能储运", category="green", synonyms=["加氢站"])
    expert = factories.make_expert(bio="擅长储氢罐检修。")
    expert_changed(expert_id=expert.pk)
    assert not expert.derived_areas.filter(skill=skill).exists()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill_update(user=secretariat, skill=skill, synonyms=["加氢站", "储氢罐"])

    assert expert.derived_areas.filter(skill=skill, level=3).exists()


def test_loading_a_changed_taxonomy_queues_one_refresh(django_capture_on_commit_callbacks):
    from experts.models import Skill
    from experts.taxonomy.loader import load_taxonomy

    from experts.taxonomy.data import AREAS

    Skill.objects.filter(code__in=["distillation", "pumps-seals", "vocs"]).update(synonyms=[])  # edits to undo
    added = [{"code": f"new-area-{n}", "name": f"新领域{n}", "name_en": "", "category": "green", "synonyms": [],
              "problems": [], "related": []} for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = load_taxonomy(areas=[*AREAS, *added])

    assert (result["created"], result["updated"]) == (3, 3)
    assert [c.name for c in callbacks if getattr(c, "items", None)].count("matching.taxonomy_changed") == 1
