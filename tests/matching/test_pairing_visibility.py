"""Only the parties and the secretariat see an agreement; the expert's contact opens to the enterprise on acceptance."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from experts.selectors import can_see_contact
from matching.models import PairingAgreement
from matching.pairings import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties():
    return factories.make_pairing_parties()


@pytest.fixture
def pairing(parties):
    return services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert)


def fresh(user):
    """The user as a new request loads it (per-request role caches empty)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_parties_and_the_secretariat_see_it_nobody_else(parties, pairing):
    other_staff, _ = factories.make_enterprise_user()
    other_expert, _ = factories.make_expert_user()
    seen = {
        "enterprise": parties.enterprise_user, "expert": parties.expert_user,
        "secretariat": factories.make_secretariat(), "other enterprise": other_staff,
        "other expert": other_expert, "anonymous": AnonymousUser(),
    }
    visible = {who: list(selectors.pairing_list(user=user)) for who, user in seen.items()}
    assert visible == {"enterprise": [pairing], "expert": [pairing], "secretariat": [pairing],
                       "other enterprise": [], "other expert": [], "anonymous": []}
    for who in ("other enterprise", "other expert", "anonymous"):
        with pytest.raises(PairingAgreement.DoesNotExist):
            selectors.pairing_get(user=seen[who], pairing_id=pairing.pk)


def test_my_pairings_lists_an_experts_invitations_by_status(parties, pairing):
    second = services.pairing_propose(user=parties.enterprise_user,
                                      challenge=factories.make_challenge(enterprise=parties.enterprise),
                                      expert=parties.expert)
    services.pairing_decline(user=parties.expert_user, pairing=second)
    assert list(selectors.my_pairings(user=parties.expert_user, status="proposed")) == [pairing]
    assert set(selectors.my_pairings(user=parties.expert_user)) == {pairing, second}
    assert list(selectors.my_pairings(user=factories.make_secretariat())) == []


def test_listing_is_one_query_whatever_the_number(parties, pairing, django_assert_num_queries):
    for _ in range(3):
        services.pairing_propose(user=parties.enterprise_user,
                                 challenge=factories.make_challenge(enterprise=parties.enterprise),
                                 expert=parties.expert)
    user = fresh(parties.enterprise_user)
    selectors.pairing_list(user=user)  # resolves the caller's roles
    with django_assert_num_queries(1):
        rows = list(selectors.pairing_list(user=user))
        assert {(p.challenge.enterprise.name, p.expert.name) for p in rows}


def test_contact_opens_on_acceptance_and_stays_open(parties, pairing):
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    assert can_see_contact(fresh(parties.enterprise_user), parties.expert)
    services.pairing_terminate(user=parties.expert_user, pairing=pairing, reason="时间冲突")
    assert can_see_contact(fresh(parties.enterprise_user), parties.expert)
    assert not can_see_contact(fresh(factories.make_enterprise_user()[0]), parties.expert)


def test_a_declined_or_withdrawn_proposal_reveals_nothing(parties, pairing):
    services.pairing_decline(user=parties.expert_user, pairing=pairing)
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)
    again = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert)
    services.pairing_withdraw(user=parties.enterprise_user, pairing=again)
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)
