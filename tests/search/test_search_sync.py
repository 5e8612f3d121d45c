"""Index sync through the real write paths: every committed change reaches the index, nothing else does.

Celery runs eagerly here (the default settings); test_search_celery_live.py runs a real worker.
"""
import pytest
from celery.signals import task_prerun
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from enterprises.models import Challenge
from experts.models import Expert, ExpertHonour
from jianglian.choices import Honour
from search import sync
from search.backends import get_backend
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("index_dir")]


def found(index, query="", **filters):
    return get_backend().search(index, query, filters=filters).ids


@pytest.fixture
def sent_tasks():
    """(index, ids) of every update task that ran."""
    sent = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == "search.tasks.update_documents":
            sent.append((args[0], sorted(args[1])))

    task_prerun.connect(record, weak=False)
    yield sent
    task_prerun.disconnect(record)


def test_a_committed_save_is_searchable():
    expert = factories.make_expert(name="吴工", bio="聚合反应釜温度控制")

    assert found("expert", "反应釜") == [expert.pk]


def test_a_rolled_back_save_leaves_nothing_in_the_index(sent_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_expert(name="回滚", bio="不该出现的萃取精馏")
        raise RuntimeError("the request failed")

    assert found("expert", "萃取") == []
    assert sent_tasks == []


def test_a_rolled_back_savepoint_does_not_lose_the_outer_changes():
    with transaction.atomic():
        kept = factories.make_expert(name="保留", bio="干燥工艺")
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.make_expert(name="撤销", bio="干燥设备")
            raise RuntimeError

    assert found("expert", "干燥") == [kept.pk]


def test_one_transaction_sends_each_id_once(sent_tasks):
    with transaction.atomic():
        expert = factories.make_expert(name="郑工")
        for n in range(5):
            expert.bio = f"第{n}次修改"
            expert.save()
        other = factories.make_expert(name="冯工")

    assert sent_tasks == [("expert", sorted([expert.pk, other.pk]))]


def test_a_delete_removes_the_document():
    expert = factories.make_expert(name="陈工", bio="蒸发结晶")
    expert.delete()

    assert found("expert", "蒸发") == []


def test_renaming_a_studio_updates_its_members_and_lead_documents():
    lead = factories.make_expert(name="韩工")
    studio = factories.make_studio(name="韩工创新工作室", lead=lead)
    member = factories.make_expert(name="杨工", studio=studio)

    studio.name = "绿色催化创新工作室"
    studio.save()

    assert found("expert", "绿色催化") == [member.pk]
    assert found("studio", "韩工") == [studio.pk]
    lead.name = "韩大师"
    lead.save()
    assert found("studio", "韩大师") == [studio.pk]


def test_deleting_a_studio_updates_its_former_members():
    studio = factories.make_studio(name="膜分离创新工作室")
    member = factories.make_expert(name="秦工", studio=studio)
    assert found("expert", "膜分离") == [member.pk]

    studio.delete()

    assert found("expert", "膜分离") == []


def test_skill_changes_reach_the_experts_studios_and_challenges_that_have_it():
    skill = factories.make_skill(code="crystal", name="结晶工艺")
    expert = factories.make_expert(name="许工", bio="", skills=[skill])
    studio = factories.make_studio(skills=[skill])
    challenge = factories.make_challenge(skills=[skill], title="产品粒度不均")

    skill.synonyms = ["晶型控制"]
    skill.save()

    assert found("expert", "晶型控制") == [expert.pk]
    assert found("studio", "晶型控制") == [studio.pk]
    assert found("challenge", "晶型控制") == [challenge.pk]


def test_adding_and_removing_skills_from_either_side_updates_the_expert():
    skill = factories.make_skill(code="coating", name="防腐涂装")
    expert = factories.make_expert(name="何工", bio="")

    expert.skills.add(skill)
    assert found("expert", "", skill="coating") == [expert.pk]

    skill.experts.remove(expert)
    assert found("expert", "", skill="coating") == []

    skill.experts.add(expert)
    skill.experts.clear()
    assert found("expert", "", skill="coating") == []


def test_an_honour_added_later_can_be_filtered_on():
    expert = factories.make_expert(name="吕工")

    ExpertHonour.objects.create(expert=expert, honour=Honour.NATIONAL_MODEL_WORKER)

    assert found("expert", "", honour=Honour.NATIONAL_MODEL_WORKER) == [expert.pk]


def test_a_challenge_appears_when_published_and_leaves_when_closed():
    challenge = factories.make_challenge(status=Challenge.Status.DRAFT, title="废水COD超标")
    assert found("challenge", "cod") == []

    challenge.status = Challenge.Status.OPEN
    challenge.save()
    assert found("challenge", "cod") == [challenge.pk]

    challenge.status = Challenge.Status.CLOSED
    challenge.save()
    assert found("challenge", "cod") == []


def test_renaming_an_enterprise_updates_its_challenges():
    enterprise = factories.make_enterprise(name="老名字化工")
    challenge = factories.make_challenge(enterprise=enterprise)

    enterprise.name = "新名字制药"
    enterprise.save()

    assert found("challenge", "新名字") == [challenge.pk]


def test_writes_that_bypass_signals_are_repaired_by_reconcile():
    expert = factories.make_expert(name="施工", bio="原始简介")
    Expert.objects.filter(pk=expert.pk).update(bio="批量改写的离子交换")
    Expert.objects.bulk_create([Expert(name="批量", employer="某厂", province="sichuan", city="成都", bio="离子交换树脂")])

    drifts = {d.index: d for d in sync.reconcile()}

    assert (len(drifts["expert"].stale), len(drifts["expert"].missing)) == (1, 1)
    assert len(found("expert", "离子交换")) == 2
    assert not any(sync.reconcile())


def test_after_a_taxonomy_change_reconcile_recuts_the_documents_with_the_new_words(settings):
    from experts.models import Skill
    from search import text

    expert = factories.make_expert(name="蒋工", bio="负责汽耗偏高治理工作")
    assert not any(sync.reconcile(["expert"]))
    assert found("expert", ["汽耗偏高治理"]) == []

    Skill.objects.create(code="qhzl", name="蒸汽单耗优化", synonyms=["汽耗偏高治理"])
    settings.SEARCH_TAXONOMY_CHECK_SECONDS = 0
    try:
        (drift,) = sync.reconcile(["expert"])

        assert drift.stale == {expert.pk}
        assert found("expert", ["汽耗偏高治理"]) == [expert.pk]
        assert not any(sync.reconcile(["expert"]))
    finally:
        settings.SEARCH_TAXONOMY_CHECK_SECONDS = None
        Skill.objects.filter(code="qhzl").delete()
        text.reload_user_dictionary()


def test_reconcile_removes_documents_whose_rows_are_gone():
    expert = factories.make_expert(name="孔工")
    Expert.objects.filter(pk=expert.pk)._raw_delete(Expert.objects.db)

    (drift,) = sync.reconcile(["expert"])

    assert drift.extra == {expert.pk}
    assert found("expert", "孔工") == []


def test_the_check_command_fails_on_drift_and_passes_after_rebuild(capsys):
    factories.make_expert(name="曹工")
    Expert.objects.update(bio="绕过信号的修改")

    with pytest.raises(CommandError):
        call_command("search_index", "--check")
    call_command("search_index", "--rebuild", "--models", "expert", "--no-progress")
    call_command("search_index", "--check")

    assert "expert (embedded): 0 missing, 0 stale, 0 extra" in capsys.readouterr().out


def test_the_rebuild_command_refuses_an_unknown_index():
    with pytest.raises(CommandError):
        call_command("search_index", "--rebuild", "--models", "nonsense")
