"""The Challenge admin's "重新计算匹配" action asks for each selected challenge's ranking through
matching.services.challenge_matches_request — the rule the pages, REST and GraphQL obey — and says for each
challenge what happened: queued (an open one recomputed, a draft previewed) or refused with the reason."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from enterprises.models import Challenge
from matching.models import Match
from tests import factories
from tests.frontend_stub.conftest import store_matches
from tests.matching.matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.django_db

Status = Challenge.Status
CHANGELIST = "admin:enterprises_challenge_changelist"


def recompute(client, challenges):
    return client.post(reverse(CHANGELIST), {"action": "recompute_matches",
                                             "_selected_action": [c.pk for c in challenges]}, follow=True)


def reported(response) -> dict[str, tuple[str, str]]:
    """{challenge title: (level, what the admin said about it)} from the messages of the action."""
    said = {}
    for message in response.context["messages"]:
        title, _, text = str(message).partition(": ")
        said[title] = (message.level_tag, text)
    return said


def stored(challenge):
    return list(Match.objects.filter(challenge=challenge).order_by("pk").values_list("pk", "computed_at"))


@pytest.fixture
def secretariat_client(client):
    secretariat = factories.make_secretariat()
    secretariat.is_superuser = True  # admin permissions; the rule itself checks the secretariat role
    secretariat.save()
    client.force_login(secretariat)
    return client


def test_each_selected_challenge_is_queued_or_refused_with_the_reason(
        secretariat_client, taxonomy, django_capture_on_commit_callbacks):  # noqa: F811
    factories.make_expert_user(name="密封师傅", bio="擅长机械密封选型与改进，主持离心泵密封改造。")
    index_everything()
    enterprise = factories.make_enterprise()
    leak = {"description": "几台输送泵隔三差五往外滴料。"}
    open_one = factories.make_challenge(enterprise=enterprise, title="征集中：输送泵漏料", **leak)
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT, title="草稿：输送泵漏料", **leak)
    paired = factories.make_challenge(enterprise=enterprise, status=Status.PAIRED, title="已结对的需求")
    closed = factories.make_challenge(enterprise=enterprise, status=Status.CLOSED, title="已关闭的需求")
    for frozen in (paired, closed):
        store_matches(frozen, experts=[factories.make_expert()])
    kept = {frozen.pk: stored(frozen) for frozen in (paired, closed)}

    with django_capture_on_commit_callbacks(execute=True):  # Celery is eager: the queued rankings run
        response = recompute(secretariat_client, [open_one, draft, paired, closed])

    said = reported(response)
    assert said["征集中：输送泵漏料"] == ("success", "已排队重新计算")
    assert said["草稿：输送泵漏料"] == ("success", "已排队计算匹配预览")
    for title in ("已结对的需求", "已关闭的需求"):
        level, reason = said[title]
        assert level == "error" and "不再重新计算" in reason, title
    assert said["已排队计算匹配的需求"] == ("success", "2")
    for ranked in (open_one, draft):
        assert Match.objects.filter(challenge=ranked, kind="expert", rank=1).get().expert.name == "密封师傅"
    assert {frozen.pk: stored(frozen) for frozen in (paired, closed)} == kept
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_staff_user_outside_the_secretariat_is_refused_for_each_challenge(
        client, django_user_model, django_capture_on_commit_callbacks):
    clerk = django_user_model.objects.create_user("clerk", password="pass-word-123", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_challenge", "change_challenge"]))
    client.force_login(clerk)
    challenge = factories.make_challenge(title="征集中的需求")

    with django_capture_on_commit_callbacks() as callbacks:
        response = recompute(client, [challenge])

    level, reason = reported(response)["征集中的需求"]
    assert level == "error" and "只有发布需求的企业和秘书处可以计算匹配结果" in reason
    assert callbacks == [] and not Match.objects.exists()
