"""Experts for a free text (matching.topics): who should speak on an event's topic, ranked by the engine as it ranks a
posting, without the signals that only concern pairings; what the secretariat's invite picker suggests."""
import pytest
from django.urls import reverse
from django.utils import timezone

from alliance import services
from matching.topics import experts_for_topic
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.usefixtures("taxonomy")

DISTILLATION_BIO = "主持完成精馏塔节能改造，热泵精馏项目年节约蒸汽两万吨，擅长精馏塔操作优化与回流比调整。"
SEAL_BIO = "长期从事化工动设备检修，擅长离心泵机械密封选型与改进，解决密封泄漏问题上百起。"


def test_the_expert_whose_work_fits_the_topic_comes_first_and_the_excluded_never():
    distiller = factories.make_expert(name="精馏师傅", bio=DISTILLATION_BIO, province="sichuan", city="泸州")
    seal = factories.make_expert(name="密封师傅", bio=SEAL_BIO, province="sichuan", city="泸州")
    index_everything()

    ranked = experts_for_topic(user=None, title="精馏塔节能操作", description="面向化工专业学生讲解精馏节能",
                               province="sichuan", city="泸州")
    assert ranked and ranked[0].expert == distiller
    assert [r.expert for r in experts_for_topic(user=None, title="离心泵机械密封泄漏")][:1] == [seal]
    assert distiller not in [r.expert for r in experts_for_topic(user=None, title="精馏塔节能操作",
                                                                  exclude_ids={distiller.pk})]
    assert experts_for_topic(user=None, title="  ") == []


def test_the_invite_picker_suggests_experts_for_the_events_topic(client, secretariat):
    distiller = factories.make_expert(name="精馏师傅", bio=DISTILLATION_BIO, province="sichuan", city="泸州")
    factories.make_expert(name="密封师傅", bio=SEAL_BIO)
    index_everything()
    event = services.event_create(user=secretariat, title="走进泸州职院", school="泸州职业技术学院", province="sichuan",
                                  city="泸州", starts_at=timezone.now() + timezone.timedelta(days=9),
                                  format="lecture", topic="精馏塔节能操作")
    client.force_login(secretariat)

    picks = client.get(reverse("web:manage_event", args=[event.pk])).context["picks"]

    assert picks[0][0] == distiller and picks[0][1] > 0
