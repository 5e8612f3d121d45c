"""Pairing pages of both sides: invitations, accept / decline, signatures, the printable 结对意向书, the outcome."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import PairingAgreement
from matching.pairings.selectors import pairing_actions
from matching.pairings.services import pairing_accept, pairing_propose, pairing_sign
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(enterprise_user, expert_user):
    """(pairing, enterprise staff, expert user) — a fresh invitation."""
    staff, enterprise = enterprise_user
    expert_account, expert = expert_user
    challenge = factories.make_challenge(enterprise=enterprise, title="精馏塔蒸汽单耗偏高")
    pairing = pairing_propose(user=staff, challenge=challenge, expert=expert, message="请来现场看看")
    return pairing, staff, expert_account


def action(pairing, name):
    return reverse("web:pairing_action", args=[pairing.pk, name])


def test_the_expert_sees_the_invitation_and_accepts_it_with_a_note(web, proposal):
    pairing, _, expert_account = proposal
    client = web(expert_account)

    page = client.get(reverse("web:my_invitations"))
    assert [p.pk for p in page.context["invitations"]] == [pairing.pk]
    assert "请来现场看看" in page.content.decode()
    response = client.post(action(pairing, "accept"), {"note": "下周二到厂"})

    pairing.refresh_from_db()
    assert (pairing.status, pairing.response_note) == ("accepted", "下周二到厂")
    assert response.url == reverse("web:pairing", args=[pairing.pk])


def test_the_expert_declines_with_a_note(web, proposal):
    pairing, _, expert_account = proposal
    web(expert_account).post(action(pairing, "decline"), {"note": "近期在外地"})
    pairing.refresh_from_db()
    assert (pairing.status, pairing.response_note) == ("declined", "近期在外地")


def test_the_enterprise_cannot_answer_for_the_expert(web, proposal):
    pairing, staff, _ = proposal
    assert web(staff).post(action(pairing, "accept")).status_code == 403
    pairing.refresh_from_db()
    assert pairing.status == "proposed"


def test_strangers_do_not_see_an_agreement(web, proposal, other_enterprise_user):
    pairing, _, _ = proposal
    assert web(other_enterprise_user[0]).get(reverse("web:pairing", args=[pairing.pk])).status_code == 404
    assert web(other_enterprise_user[0]).post(action(pairing, "sign")).status_code == 404
    assert web(other_enterprise_user[0]).get(reverse("web:pairing_print", args=[pairing.pk])).status_code == 404
    assert web().get(reverse("web:pairing", args=[pairing.pk])).status_code == 302  # to sign in


def test_unknown_action_is_404(web, proposal):
    pairing, staff, _ = proposal
    assert web(staff).post(action(pairing, "delete")).status_code == 404


def test_both_sign_and_the_agreement_becomes_active(web, proposal):
    pairing, staff, expert_account = proposal
    pairing_accept(user=expert_account, pairing=pairing)
    expert_client, staff_client = web(expert_account), web(staff)

    assert "sign" in expert_client.get(reverse("web:pairing", args=[pairing.pk])).context["actions"]
    expert_client.post(action(pairing, "sign"))
    assert "sign" not in expert_client.get(reverse("web:pairing", args=[pairing.pk])).context["actions"]
    staff_client.post(action(pairing, "sign"))

    pairing.refresh_from_db()
    assert pairing.status == "active"
    assert pairing.challenge.status == "paired"
    for client in (expert_client, staff_client):
        html = client.get(reverse("web:pairing", args=[pairing.pk])).content.decode()
        assert 'data-status="active"' in html
        assert html.count("✓ 已签署") == 2


def test_the_enterprise_sees_the_experts_contact_once_accepted(web, proposal):
    pairing, staff, expert_account = proposal
    phone = pairing.expert.phone
    assert phone not in web(staff).get(reverse("web:pairing", args=[pairing.pk])).content.decode()
    pairing_accept(user=expert_account, pairing=pairing)
    assert phone in web(staff).get(reverse("web:pairing", args=[pairing.pk])).content.decode()


def test_the_printable_agreement_and_its_pdf(web, proposal):
    pairing, staff, expert_account = proposal
    pairing_accept(user=expert_account, pairing=pairing)
    pairing_sign(user=expert_account, pairing=pairing)
    pairing_sign(user=staff, pairing=pairing)

    printable = web(expert_account).get(reverse("web:pairing_print", args=[pairing.pk]))
    pdf = web(staff).get(reverse("web:pairing_pdf", args=[pairing.pk]))

    assert printable.status_code == 200
    html = printable.content.decode()
    assert "结对意向书" in html and "精馏塔蒸汽单耗偏高" in html
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_reporting_the_outcome_completes_the_pairing(web, proposal):
    pairing, staff, expert_account = proposal
    pairing_accept(user=expert_account, pairing=pairing)
    pairing_sign(user=expert_account, pairing=pairing)
    pairing_sign(user=staff, pairing=pairing)
    url = reverse("web:pairing_complete", args=[pairing.pk])

    bad = web(staff).post(url, {"outcome-outcome_summary": "", "outcome-problems_solved": "2"})
    assert bad.status_code == 400 and "outcome_summary" in bad.context["outcome_form"].errors
    assert 'value="2"' in bad.content.decode()
    web(staff).post(url, {"outcome-outcome_summary": "蒸汽单耗下降 18%", "outcome-problems_solved": "2",
                          "outcome-rating": "5"})

    pairing.refresh_from_db()
    assert (pairing.status, pairing.problems_solved, pairing.enterprise_rating) == ("completed", 2, 5)
    assert pairing.challenge.status == "resolved"


def test_my_agreements_link_to_their_export_with_the_outcomes(web, proposal):
    pairing, staff, expert_account = proposal
    for user in (staff, expert_account):
        client = web(user)
        html = client.get(reverse("web:my_agreements")).content.decode()
        link = re.search(r'href="([^"]*pairings/export/\?format=csv)"', html).group(1)
        exported = b"".join(client.get(link).streaming_content).decode("utf-8-sig")
        assert "精馏塔蒸汽单耗偏高" in exported and "节约金额（元）" in exported


def test_my_agreements_lists_both_sides_agreements(web, proposal, django_assert_max_num_queries):
    pairing, staff, expert_account = proposal
    pairing_accept(user=expert_account, pairing=pairing)
    for user in (staff, expert_account):
        client = web(user)
        client.get(reverse("web:my_agreements"))
        with django_assert_max_num_queries(10):
            page = client.get(reverse("web:my_agreements"))
        assert [p.pk for p in page.context["page"]] == [pairing.pk]


def test_an_expert_declining_from_the_list_stays_on_the_list(web, proposal):
    pairing, _, expert_account = proposal
    response = web(expert_account).post(action(pairing, "decline"), {"next": reverse("web:my_invitations")})
    assert response.url == reverse("web:my_invitations")
    assert PairingAgreement.objects.get().status == "declined"


# --- the buttons are the selectors' answers -----------------------------------------------------------

BUTTON = re.compile(r'<form method="post" action="/pairings/(\d+)/([a-z]+)/"')


def buttons(html, pairing) -> set[str]:
    """The transitions the page offers a form for, on `pairing`."""
    return {name for pk, name in BUTTON.findall(html) if int(pk) == pairing.pk}


def pairing_in(state, parties):
    """An agreement between `parties` (enterprise staff, expert user) written directly in `state`."""
    staff, enterprise = parties[0]
    now = timezone.now()
    status, challenge_status, fields = {
        "proposed": ("proposed", "open", {}),
        "proposed past its expiry": ("proposed", "open", {"expires_at": now - timedelta(hours=1)}),
        "accepted": ("accepted", "open", {}),
        "accepted, signed by the expert": ("accepted", "open", {"expert_signed_at": now}),
        "active": ("active", "paired", {"expert_signed_at": now, "enterprise_signed_at": now, "activated_at": now}),
        "completed": ("completed", "resolved", {"outcome_summary": "蒸汽单耗下降", "ended_at": now}),
        "terminated": ("terminated", "open", {"termination_reason": "双方协商", "ended_at": now}),
    }[state]
    challenge = factories.make_challenge(enterprise=enterprise, status=challenge_status)
    return factories.make_pairing(challenge=challenge, expert=parties[1][1], status=status, **fields)


PAGE_STATES = ("proposed", "proposed past its expiry", "accepted", "accepted, signed by the expert", "active",
               "completed", "terminated")


@pytest.mark.parametrize("state", PAGE_STATES)
def test_the_agreement_page_offers_exactly_the_transitions_the_selector_allows(web, state, enterprise_user,
                                                                              expert_user, secretariat):
    pairing = pairing_in(state, (enterprise_user, expert_user))
    for user in (enterprise_user[0], expert_user[0], secretariat):
        response = web(user).get(reverse("web:pairing", args=[pairing.pk]))

        allowed = pairing_actions(user, PairingAgreement.objects.get(pk=pairing.pk))
        assert response.context["actions"] == allowed
        # rating has no button of its own: a rating is given with the outcome form
        assert buttons(response.content.decode(), pairing) == allowed - {"rate"}, user


def test_the_secretariat_may_end_an_agreement_from_its_page(web, enterprise_user, expert_user, secretariat):
    pairing = pairing_in("active", (enterprise_user, expert_user))
    client = web(secretariat)

    assert "terminate" in buttons(client.get(reverse("web:pairing", args=[pairing.pk])).content.decode(), pairing)
    client.post(action(pairing, "terminate"), {"note": "企业已停产"})

    pairing.refresh_from_db()
    assert (pairing.status, pairing.termination_reason) == ("terminated", "企业已停产")


def test_an_expired_invitation_offers_decline_and_says_why_it_cannot_be_accepted(web, enterprise_user, expert_user):
    fresh = pairing_in("proposed", (enterprise_user, expert_user))
    expired = pairing_in("proposed past its expiry", (enterprise_user, expert_user))

    html = web(expert_user[0]).get(reverse("web:my_invitations")).content.decode()

    assert buttons(html, fresh) == {"accept", "decline"}
    assert buttons(html, expired) == {"decline"}
    assert html.count("邀请已过期。") == 1


def test_my_invitations_query_count_is_fixed(web, enterprise_user, expert_user, django_assert_num_queries):
    pairing_in("proposed", (enterprise_user, expert_user))
    client = web(expert_user[0])
    client.get(reverse("web:my_invitations"))
    # session, user, roles (3), invitations, answered, unread count, whether the expert acts for a studio
    with django_assert_num_queries(9) as first:
        client.get(reverse("web:my_invitations"))
    for state in ("proposed", "proposed", "proposed past its expiry"):
        pairing_in(state, (enterprise_user, expert_user))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:my_invitations"))
