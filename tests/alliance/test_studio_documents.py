"""A studio's search document holds its members' text (skills, tags, bio, achievements) and stays current through
the real write paths: a member joins, leaves or moves (the studio left behind too), edits their profile, changes
skills; a skill is renamed; a member is deleted; a roster import moves members. Each transaction sends one
update of the studio index, after it commits (search.sync's after-commit path). Runs on SQLite and, with
DATABASE_URL, on PostgreSQL (Celery eager; tests/search/test_search_celery_live.py runs a real worker).
"""
import pytest
from celery.signals import task_prerun
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from experts.models import Expert
from experts.services import expert_create, expert_update, experts_import
from search import sync
from search.backends import get_backend
from search.index import get_definition
from search.selectors import search_visible
from tests import factories
from tests.rosters import person, table, xlsx
from tests.search.conftest import index_dir  # noqa: F401  (a fresh embedded index per test)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("index_dir")]


def studios_found(query):
    return get_backend().search("studio", query).ids


@pytest.fixture
def studio_updates():
    """The ids of every studio index update task that ran, one list per task."""
    sent = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == "search.tasks.update_documents" and args[0] == "studio":
            sent.append(sorted(args[1]))

    task_prerun.connect(record, weak=False)
    yield sent
    task_prerun.disconnect(record)


@pytest.fixture
def studios():
    return {"east": factories.make_studio(name="东区创新工作室", description="设备检修。"),
            "west": factories.make_studio(name="西区创新工作室", description="设备检修。")}


def test_a_studio_is_found_by_what_its_members_can_do(studios):
    skill = factories.make_skill(code="seal-x", name="干气密封", synonyms=["密封气系统"])
    factories.make_expert(name="甲工", studio=studios["east"], skills=[skill], skill_tags=["螺杆压缩机大修"],
                          bio="主持聚合釜搅拌器改造。", achievements="获丁苯橡胶装置技术革新奖。")

    for query in ("密封气系统", "螺杆压缩机", "搅拌器改造", "丁苯橡胶", "甲工"):
        assert studios_found(query) == [studios["east"].pk], query


def test_the_studios_own_words_rank_above_a_members(studios):
    own = factories.make_studio(name="丙区创新工作室", description="专注丁苯橡胶聚合。")
    factories.make_expert(studio=studios["east"], bio="丁苯橡胶装置操作。")

    assert studios_found("丁苯橡胶") == [own.pk, studios["east"].pk]


def test_a_member_joining_leaving_and_moving_reaches_both_studios_in_one_update(studios, secretariat,
                                                                                studio_updates):
    expert = expert_create(user=secretariat, name="乙工", employer="某石化", province="sichuan", city="成都",
                           bio="擅长催化裂化再生器检修。", studio=studios["east"])
    assert studios_found("再生器") == [studios["east"].pk]
    assert studio_updates == [[studios["east"].pk]]

    expert_update(user=secretariat, expert=expert, studio=studios["west"])  # moves
    assert studios_found("再生器") == [studios["west"].pk]
    assert studio_updates[-1] == sorted([studios["east"].pk, studios["west"].pk])

    expert_update(user=secretariat, expert=expert, studio=None)  # leaves
    assert studios_found("再生器") == []
    assert studio_updates[-1] == [studios["west"].pk]
    assert not any(sync.reconcile(["studio"]))


def test_a_move_saved_without_naming_fields_reaches_the_studio_left(studios):
    expert = factories.make_expert(studio=studios["east"], bio="擅长催化裂化再生器检修。")

    expert.studio = studios["west"]
    expert.save()

    assert studios_found("再生器") == [studios["west"].pk]


def test_a_members_profile_edit_and_skills_reach_their_studio(studios, secretariat):
    user, expert = factories.make_expert_user(studio=studios["east"], bio="")
    skill = factories.make_skill(code="fcc-x", name="催化裂化", synonyms=["重油催化"])

    expert_update(user=user, expert=expert, bio="负责烷基化装置开车。")
    assert studios_found("烷基化") == [studios["east"].pk]

    expert_update(user=user, expert=expert, skills=[skill])
    assert studios_found("重油催化") == [studios["east"].pk]

    skill.experts.clear()
    assert studios_found("重油催化") == []
    skill.experts.add(expert)
    skill.synonyms = ["渣油催化"]
    skill.save()
    assert studios_found("渣油催化") == [studios["east"].pk]


def test_many_members_changed_in_one_transaction_send_one_update(studios, studio_updates):
    members = [factories.make_expert(studio=studios["east"], bio="") for _ in range(3)]
    studio_updates.clear()

    with transaction.atomic():
        for n, member in enumerate(members):
            member.bio = f"第{n}位成员擅长膜分离。"
            member.save()
        members[0].studio = studios["west"]
        members[0].save()

    assert studio_updates == [sorted([studios["east"].pk, studios["west"].pk])]
    assert sorted(studios_found("膜分离")) == sorted([studios["east"].pk, studios["west"].pk])


def test_a_rolled_back_move_changes_nothing(studios, studio_updates):
    expert = factories.make_expert(studio=studios["east"], bio="擅长催化裂化再生器检修。")
    studio_updates.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        expert.studio = studios["west"]
        expert.save()
        raise RuntimeError("the request failed")

    assert studio_updates == []
    assert studios_found("再生器") == [studios["east"].pk]


def test_a_deleted_member_leaves_their_studios_document(studios):
    expert = factories.make_expert(studio=studios["east"], bio="擅长催化裂化再生器检修。")

    expert.delete()

    assert studios_found("再生器") == []


def test_a_roster_import_moving_members_updates_both_studios(studios, studio_updates):
    experts_import(user=None, data=xlsx(table([person(1, 所属工作室="东区创新工作室", 技能专长="")])),
                   filename="名册.xlsx", dry_run=False)
    Expert.objects.filter(name="专家001").update(bio="擅长催化裂化再生器检修。")
    sync.reconcile(["studio"])
    assert studios_found("再生器") == [studios["east"].pk]
    studio_updates.clear()

    experts_import(user=None, data=xlsx(table([person(1, 所属工作室="西区创新工作室")])),
                   filename="名册.xlsx", dry_run=False)

    assert studios_found("再生器") == [studios["west"].pk]
    assert sorted(pk for task in studio_updates for pk in task) == sorted([studios["east"].pk, studios["west"].pk])
    assert not any(sync.reconcile(["studio"]))


def test_the_catalog_finds_a_studio_by_a_members_words(studios):
    factories.make_expert(studio=studios["west"], achievements="完成MVR蒸发器节能改造。")

    found = search_visible(user=AnonymousUser(), type="studio", q="MVR", filters={}, page=1, page_size=10)

    assert [row.pk for _, row in found.hits] == [studios["west"].pk]
    assert "<em>MVR</em>" in found.hits[0][0].highlights["members"]


def test_documents_are_built_in_a_fixed_number_of_queries(studios, django_assert_num_queries):
    for studio in studios.values():
        for _ in range(3):
            factories.make_expert(studio=studio, skills=[factories.make_skill()])
    definition = get_definition("studio")

    with django_assert_num_queries(4):  # studios (+lead), their skills, their members, the members' skills
        documents = definition.documents(definition.get_queryset())

    assert len(documents) == 2 and all(doc["member_skills"] for doc in documents)
