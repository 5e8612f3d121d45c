"""An expert's fitting challenges (matching.selectors.fitting_challenges, shown on the expert's 适合我的需求
page): the open challenges where the engine ranked the expert, labelled by rank band — 前 3 名, 前 10 名,
相关领域可协助 — best band first and, within a band, by the expert's own fit (the match score)."""
import pytest
from django.utils import timezone

from enterprises.models import Challenge
from matching.models import Match
from matching.selectors import fitting_challenges, rank_band
from tests import factories

pytestmark = pytest.mark.django_db


def rank_me(challenge, expert, rank, score):
    Match.objects.create(challenge=challenge, kind="expert", expert=expert, rank=rank, score=score,
                         breakdown=[], algorithm_version="test", computed_at=timezone.now())


@pytest.mark.parametrize("rank, band", [(1, "top3"), (3, "top3"), (4, "top10"), (10, "top10"), (11, "related"),
                                        (48, "related")])
def test_rank_bands(rank, band):
    assert rank_band(rank)[0] == band


def test_best_band_first_then_the_experts_own_fit(expert_user):
    user, expert = expert_user
    weak_first = factories.make_challenge(title="第二名但匹配度低")
    strong_first = factories.make_challenge(title="第一名且匹配度高")
    tenth = factories.make_challenge(title="第十名")
    far = factories.make_challenge(title="第四十八名")
    rank_me(far, expert, 48, 0.9)        # a high score far down a strong field is still rank 48
    rank_me(tenth, expert, 10, 0.8)
    rank_me(weak_first, expert, 2, 0.4)
    rank_me(strong_first, expert, 1, 1.2)

    fitting = fitting_challenges(user=user, expert=expert)

    assert [(f.challenge.title, f.band, f.rank) for f in fitting] == [
        ("第一名且匹配度高", "top3", 1), ("第二名但匹配度低", "top3", 2), ("第十名", "top10", 10),
        ("第四十八名", "related", 48)]
    assert [f.band_label for f in fitting] == ["前 3 名", "前 3 名", "前 10 名", "相关领域可协助"]


def test_only_open_challenges_and_only_this_experts_rows(expert_user):
    user, expert = expert_user
    other = factories.make_expert()
    open_one = factories.make_challenge(title="征集中")
    closed = factories.make_challenge(title="已关闭", status=Challenge.Status.CLOSED)
    someone_elses = factories.make_challenge(title="别人的")
    rank_me(open_one, expert, 5, 0.5)
    rank_me(closed, expert, 1, 1.0)
    rank_me(someone_elses, other, 1, 1.0)

    assert [f.challenge.title for f in fitting_challenges(user=user, expert=expert)] == ["征集中"]
