"""Expert pages: my profile, open challenges that fit my skills, my outreach events."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import EventParticipation, OutreachEvent
from enterprises.models import Challenge
from tests import factories

from .conftest import store_matches

pytestmark = pytest.mark.django_db


def profile_data(expert, **overrides):
    data = {"professional_title": "高级技师", "position": "班长", "city": expert.city, "bio": "精馏节能二十年。",
            "achievements": "", "capacity": "3", "accepting_pairings": "on", "phone": "", "email": ""}
    data.update(overrides)
    return data


def test_expert_pages_need_an_expert_account(web, enterprise_user):
    for name in ("web:my_invitations", "web:expert_profile", "web:expert_open_challenges", "web:my_events"):
        assert web(enterprise_user[0]).get(reverse(name)).status_code == 403
        assert web().get(reverse(name)).status_code == 302


def test_the_expert_edits_their_profile_through_the_service(web, expert_user):
    user, expert = expert_user
    skill = factories.make_skill(name="精馏节能")
    client = web(user)

    assert client.get(reverse("web:expert_profile")).context["form"].initial["bio"] == expert.bio
    response = client.post(reverse("web:expert_profile"), profile_data(expert, skills=[skill.pk]))

    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.bio, expert.capacity, expert.accepting_pairings, expert.accepts_remote) == (
        "精馏节能二十年。", 3, True, False)
    assert list(expert.skills.all()) == [skill]


def test_profile_errors_keep_what_was_typed(web, expert_user):
    user, expert = expert_user
    response = web(user).post(reverse("web:expert_profile"), profile_data(expert, capacity="99", bio="保留我"))
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    assert "保留我" in response.content.decode()
    expert.refresh_from_db()
    assert expert.bio != "保留我"


def test_open_challenges_put_those_that_ranked_me_first(web, expert_user):
    user, expert = expert_user
    skill = factories.make_skill()
    expert.skills.set([skill])
    by_skill = factories.make_challenge(skills=[skill], title="按技能")
    ranked = factories.make_challenge(title="排名推荐")
    store_matches(ranked, experts=[expert])
    factories.make_challenge(skills=[skill], status=Challenge.Status.DRAFT, title="草稿")
    factories.make_challenge(title="无关")

    page = web(user).get(reverse("web:expert_open_challenges")).context["page"]

    assert [c.title for c in page] == ["排名推荐", "按技能"]
    assert by_skill.pk not in web(user).get(reverse("web:expert_open_challenges")).context["ranked_ids"]


def test_open_challenges_lead_with_my_best_fits_labelled_by_rank_band(web, expert_user):
    """Where I am #1 comes before where I am #48, and the page says which is which (not "推荐您" for both)."""
    user, expert = expert_user
    others = [factories.make_expert() for _ in range(12)]
    far = factories.make_challenge(title="第十二名")
    store_matches(far, experts=[*others[:11], expert])
    first = factories.make_challenge(title="第一名")
    store_matches(first, experts=[expert, *others[:3]])
    ninth = factories.make_challenge(title="第九名")
    store_matches(ninth, experts=[*others[:8], expert])

    response = web(user).get(reverse("web:expert_open_challenges"))

    assert [c.title for c in response.context["page"]] == ["第一名", "第九名", "第十二名"]
    html = response.content.decode()
    assert html.index("前 3 名") < html.index("前 10 名") < html.index("相关领域可协助")
    assert "推荐您" not in html


def test_the_expert_confirms_an_outreach_event(web, expert_user, secretariat):
    user, expert = expert_user
    event = OutreachEvent.objects.create(
        title="工匠精神进校园", school="四川化工职业技术学院", province="sichuan", city="泸州",
        starts_at=timezone.now() + timedelta(days=10), format="lecture", topic="精馏操作要点")
    EventParticipation.objects.create(event=event, expert=expert, role="主讲")
    client = web(user)

    assert [e.pk for e in client.get(reverse("web:my_events")).context["events"]] == [event.pk]
    client.post(reverse("web:event_respond", args=[event.pk, "confirm"]), {"note": "可以"})

    participation = EventParticipation.objects.get()
    assert (participation.status, participation.note) == ("confirmed", "可以")
    again = client.post(reverse("web:event_respond", args=[event.pk, "decline"]), follow=True)
    assert "已答复" in again.content.decode()


def test_an_expert_cannot_answer_an_event_they_were_not_invited_to(web, expert_user):
    user, _ = expert_user
    event = OutreachEvent.objects.create(
        title="开放日", school="某学院", province="sichuan", city="成都", starts_at=timezone.now(),
        format="lecture", topic="—", status="confirmed")
    assert web(user).post(reverse("web:event_respond", args=[event.pk, "confirm"])).status_code == 403
