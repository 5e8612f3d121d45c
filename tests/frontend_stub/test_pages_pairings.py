"""Pairing pages of both sides: invitations, accept / decline, signatures, the printable 结对意向书, the outcome."""
import pytest
from django.urls import reverse

from matching.models import PairingAgreement
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

    assert expert_client.get(reverse("web:pairing", args=[pairing.pk])).context["can_sign"]
    expert_client.post(action(pairing, "sign"))
    assert not expert_client.get(reverse("web:pairing", args=[pairing.pk])).context["can_sign"]
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
