"""Inviting a studio (issue 12 §2: matching.pairings services and selectors, REST /api/v1/studio-invitations/,
GraphQL studioInvitations / inviteStudio / assignStudioInvitation / declineStudioInvitation /
withdrawStudioInvitation, the challenge page and /me/studio-invitations/).

Given an enterprise's open challenge and a ranked studio (a lead with an account, members with and without one):
the enterprise invites the studio; its lead or managers — or the secretariat for them — assign the member who
takes it, and from then on it is that member's one-on-one proposal naming the studio, under every rule of a
proposal: the member's capacity, one agreement per challenge, conflicts of interest. The member accepts (their
account, or the invitation link when they have none), both sign, and the agreement names the studio.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from jianglian.models import AuditEntry, NotificationLog
from experts.models import Expert
from matching.models import PairingAgreement, PairingInvitationLink, StudioInvitation
from matching.pairings import selectors, services
from tests import factories
from tests.frontend_stub.conftest import store_matches
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

Status = StudioInvitation.Status


@pytest.fixture
def world():
    enterprise_user, enterprise = factories.make_enterprise_user()
    challenge = factories.make_challenge(enterprise=enterprise)
    lead_user, lead = factories.make_expert_user(name="领衔人")
    studio = factories.make_studio(lead=lead, name="王牌精馏工作室")
    lead.studio = studio
    lead.save()
    member_user, member = factories.make_expert_user(name="成员甲", studio=studio)
    offline = factories.make_expert(name="成员乙", studio=studio, email="yi@example.com")
    manager = factories.make_user()
    studio.managers.add(manager)
    return SimpleNamespace(
        enterprise_user=enterprise_user, enterprise=enterprise, challenge=challenge, studio=studio,
        lead_user=lead_user, lead=lead, member_user=member_user, member=member, offline=offline, manager=manager,
        secretariat=factories.make_secretariat(), other_enterprise_user=factories.make_enterprise_user()[0],
    )


def invite(world, **kwargs):
    return services.studio_invite(user=world.enterprise_user, challenge=world.challenge, studio=world.studio,
                                  message="请工作室派人支持", **kwargs)


def kinds(kind):
    return set(NotificationLog.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- invite ---------------------------------------------------------------------------------------------


def test_the_enterprise_invites_a_studio_and_its_lead_and_managers_are_told(world):
    invitation = invite(world)
    assert (invitation.status, invitation.proposed_by, invitation.message) == (
        Status.PENDING, world.enterprise_user, "请工作室派人支持")
    assert invitation.expires_at > timezone.now()
    assert kinds("studio_invitation") == {world.lead_user.pk, world.manager.pk}
    assert AuditEntry.objects.filter(action="studio_invite", subject_id=invitation.pk).exists()


@pytest.mark.parametrize("who", ["other enterprise", "the lead", "the secretariat", "a member"])
def test_only_the_challenges_enterprise_invites_a_studio(world, who):
    user = {"other enterprise": world.other_enterprise_user, "the lead": world.lead_user,
            "the secretariat": world.secretariat, "a member": world.member_user}[who]
    with pytest.raises(NotAllowed):
        services.studio_invite(user=user, challenge=world.challenge, studio=world.studio)
    assert not StudioInvitation.objects.exists()


def test_one_pending_invitation_per_challenge_and_studio_and_none_while_the_challenge_is_held(world):
    invite(world)
    with pytest.raises(Conflict) as twice:
        invite(world)
    assert twice.value.code == "duplicate_invitation"
    other = factories.make_challenge(enterprise=world.enterprise)
    factories.make_pairing(challenge=other, expert=factories.make_expert_user()[1], status="accepted")
    with pytest.raises(Conflict) as held:
        services.studio_invite(user=world.enterprise_user, challenge=other, studio=world.studio)
    assert held.value.code == "challenge_taken"


# --- assign ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["the lead", "a manager", "the secretariat"])
def test_the_studio_or_the_secretariat_assigns_a_member_whose_proposal_names_the_studio(world, who):
    user = {"the lead": world.lead_user, "a manager": world.manager, "the secretariat": world.secretariat}[who]
    invitation = services.studio_invitation_assign(user=user, invitation=invite(world, goals="三个月降耗10%"),
                                                   expert=world.member)
    pairing = invitation.pairing
    assert invitation.status == Status.ASSIGNED and invitation.answered_by == user
    assert (pairing.status, pairing.expert, pairing.studio, pairing.goals, pairing.proposed_by) == (
        PairingAgreement.Status.PROPOSED, world.member, world.studio, "三个月降耗10%", world.enterprise_user)
    assert kinds("studio_invitation_assigned") == {world.member_user.pk}  # the member: who assigned them
    assert kinds("studio_invitation_taken") == {world.enterprise_user.pk}  # the enterprise: who takes it


@pytest.mark.parametrize("who", ["a member", "the enterprise", "other enterprise", "no role"])
def test_nobody_else_assigns(world, who):
    user = {"a member": world.member_user, "the enterprise": world.enterprise_user,
            "other enterprise": world.other_enterprise_user, "no role": factories.make_user()}[who]
    invitation = invite(world)
    with pytest.raises(NotAllowed):
        services.studio_invitation_assign(user=user, invitation=invitation, expert=world.member)
    assert StudioInvitation.objects.get(pk=invitation.pk).status == Status.PENDING
    assert not PairingAgreement.objects.exists()


def test_only_a_member_of_the_studio_is_assigned(world):
    invitation = invite(world)
    with pytest.raises(ValidationError) as refused:
        services.studio_invitation_assign(user=world.lead_user, invitation=invitation,
                                          expert=factories.make_expert_user()[1])
    assert "expert" in refused.value.message_dict
    services.studio_invitation_assign(user=world.lead_user, invitation=invitation, expert=world.lead)  # the lead too


def test_the_members_capacity_and_the_one_agreement_per_challenge_rule_hold(world):
    world.member.capacity = 1
    world.member.save()
    factories.make_pairing(expert=world.member, status="active")
    invitation = invite(world)
    with pytest.raises(Conflict) as full:
        services.studio_invitation_assign(user=world.lead_user, invitation=invitation, expert=world.member)
    assert full.value.code == "capacity_reached"
    factories.make_pairing(challenge=world.challenge, expert=factories.make_expert_user()[1], status="accepted")
    with pytest.raises(Conflict) as held:
        services.studio_invitation_assign(user=world.lead_user, invitation=invitation, expert=world.lead)
    assert held.value.code == "challenge_taken"
    assert StudioInvitation.objects.get(pk=invitation.pk).status == Status.PENDING


def test_an_expired_invitation_is_not_assigned_and_beat_expires_it(world):
    invitation = invite(world)
    StudioInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(IllegalTransition) as expired:
        services.studio_invitation_assign(user=world.lead_user, invitation=invitation, expert=world.member)
    assert expired.value.code == "expired"
    from matching.pairings.tasks import expire_proposals
    assert expire_proposals() == 1
    assert StudioInvitation.objects.get(pk=invitation.pk).status == Status.EXPIRED


def test_a_member_without_an_account_gets_the_invitation_link(world, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.studio_invitation_assign(user=world.lead_user, invitation=invite(world),
                                                       expert=world.offline)
    assert PairingInvitationLink.objects.filter(pairing=invitation.pairing).exists()
    assert mail.outbox[-1].to == ["yi@example.com"] and "王牌精馏工作室" in mail.outbox[-1].body


def test_the_studio_declines_or_the_enterprise_withdraws(world):
    declined = services.studio_invitation_decline(user=world.lead_user, invitation=invite(world), note="人手不足")
    assert (declined.status, declined.note) == (Status.DECLINED, "人手不足")
    assert kinds("studio_invitation_declined") == {world.enterprise_user.pk}
    with pytest.raises(NotAllowed):
        services.studio_invitation_withdraw(user=world.lead_user, invitation=invite(world))
    withdrawn = services.studio_invitation_withdraw(user=world.enterprise_user,
                                                    invitation=StudioInvitation.objects.get(status=Status.PENDING))
    assert withdrawn.status == Status.WITHDRAWN
    with pytest.raises(IllegalTransition):
        services.studio_invitation_decline(user=world.lead_user, invitation=withdrawn)


def test_who_sees_a_studio_invitation(world):
    invitation = invite(world)
    for user in (world.enterprise_user, world.lead_user, world.manager, world.secretariat):
        assert list(selectors.studio_invitation_list(user=user)) == [invitation]
    for user in (world.other_enterprise_user, world.member_user, factories.make_user()):
        assert list(selectors.studio_invitation_list(user=user)) == []


# --- the whole way, in every interface -------------------------------------------------------------------


def test_invitation_assignment_agreement_over_rest_and_graphql(world, client_for):
    created = client_for(world.enterprise_user).post(
        "/api/v1/studio-invitations/", {"challenge": world.challenge.pk, "studio": world.studio.pk,
                                        "message": "请支持"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["studio"]["name"], body["actions"]) == ("pending", "王牌精馏工作室", ["withdraw"])
    invitation_id = body["id"]
    assert client_for(world.lead_user).get(f"/api/v1/studio-invitations/{invitation_id}/").json()["actions"] == [
        "assign", "decline"]
    assert client_for(world.other_enterprise_user).get(f"/api/v1/studio-invitations/{invitation_id}/").status_code == 404
    refused = client_for(world.enterprise_user).post(f"/api/v1/studio-invitations/{invitation_id}/assign/",
                                                     {"expert": world.member.pk}, format="json")
    assert refused.status_code == 403
    result = run("""mutation($id: ID!, $e: ID!) { assignStudioInvitation(id: $id, expert: $e) {
                    studioInvitation { status pairing { status studio { name } expert { name } } } } }""",
                 {"id": gid("StudioInvitation", invitation_id), "e": gid("Expert", world.member)},
                 user=world.lead_user)
    assert result.ok()["assignStudioInvitation"]["studioInvitation"] == {
        "status": "ASSIGNED",
        "pairing": {"status": "PROPOSED", "studio": {"name": "王牌精馏工作室"}, "expert": {"name": "成员甲"}}}
    pairing = PairingAgreement.objects.get(studio=world.studio)
    accepted = client_for(world.member_user).post(f"/api/v1/pairings/{pairing.pk}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["studio"]["name"] == "王牌精馏工作室"
    services.pairing_sign(user=world.member_user, pairing=pairing)
    services.pairing_sign(user=world.enterprise_user, pairing=pairing)
    assert PairingAgreement.objects.get(pk=pairing.pk).status == PairingAgreement.Status.ACTIVE
    listed = run("{ studioInvitations(first: 5) { totalCount edges { node { status actions } } } }",
                 user=world.enterprise_user).ok()
    assert listed["studioInvitations"]["totalCount"] == 1
    assert run("{ studioInvitations(first: 5) { totalCount } }",
               user=world.other_enterprise_user).ok()["studioInvitations"]["totalCount"] == 0
    forbidden = run("""mutation($c: ID!, $s: ID!) { inviteStudio(challenge: $c, studio: $s) {
                       studioInvitation { status } } }""",
                    {"c": gid("Challenge", world.challenge), "s": gid("Studio", world.studio)},
                    user=world.other_enterprise_user)
    assert forbidden.codes[0] in {"FORBIDDEN", "NOT_FOUND"}


def test_invitation_assignment_agreement_on_the_pages(world):
    store_matches(world.challenge, studios=[world.studio])
    enterprise = Client()
    enterprise.force_login(world.enterprise_user)
    page = enterprise.get(reverse("web:challenge", args=[world.challenge.pk])).content.decode()
    invite_url = reverse("web:invite_studio", args=[world.challenge.pk, world.studio.pk])
    assert invite_url in page
    enterprise.post(invite_url, {"message": "请派人"})
    invitation = StudioInvitation.objects.get()
    page = enterprise.get(reverse("web:challenge", args=[world.challenge.pk])).content.decode()
    assert invite_url not in page and "已邀请，等待工作室指派成员" in page

    lead = Client()
    lead.force_login(world.lead_user)
    assert reverse("web:my_studio_invitations") in lead.get(reverse("web:my_invitations")).content.decode()
    listing = lead.get(reverse("web:my_studio_invitations")).content.decode()
    assert f'value="{world.member.pk}"' in listing and f'value="{world.offline.pk}"' in listing
    lead.post(reverse("web:studio_invitation_action", args=[invitation.pk, "assign"]), {"expert": world.member.pk})
    invitation.refresh_from_db()
    assert invitation.status == Status.ASSIGNED

    member = Client()
    member.force_login(world.member_user)
    assert "经王牌精馏工作室指派" in member.get(reverse("web:my_invitations")).content.decode()
    member.post(reverse("web:pairing_action", args=[invitation.pairing_id, "accept"]))
    detail = member.get(reverse("web:pairing", args=[invitation.pairing_id])).content.decode()
    assert "王牌精馏工作室" in detail

    other = Client()
    other.force_login(world.member_user)
    response = other.post(reverse("web:studio_invitation_action", args=[invitation.pk, "decline"]))
    assert response.status_code == 404  # a member who does not act for the studio does not see its invitations


def test_the_printed_agreement_names_the_studio(world):
    from pypdf import PdfReader
    import io

    from matching.pairings import documents

    invitation = services.studio_invitation_assign(user=world.lead_user, invitation=invite(world), expert=world.member)
    pairing = PairingAgreement.objects.select_related("challenge__enterprise", "expert", "studio",
                                                      "enterprise_signed_by").get(pk=invitation.pairing_id)
    assert "王牌精馏工作室" in documents.render_html(pairing)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(documents.render_pdf(pairing))).pages)
    assert "王牌精馏工作室" in text.replace(" ", "")


# --- lists cost the same whatever their length ------------------------------------------------------------------

STUDIO_INVITATIONS_QUERY = """{ studioInvitations(first: 50) { totalCount edges { node {
    status actions challenge { title } studio { name } pairing { status expert { name } } } } } }"""


def _invitations(world, count):
    """`count` invitations of the studio (one per open challenge), every fourth assigned to a member (a pairing)."""
    Expert.objects.filter(pk=world.member.pk).update(capacity=20)
    while StudioInvitation.objects.count() < count:
        challenge = factories.make_challenge(enterprise=world.enterprise)
        invitation = services.studio_invite(user=world.enterprise_user, challenge=challenge, studio=world.studio)
        if StudioInvitation.objects.count() % 4 == 1:
            services.studio_invitation_assign(user=world.lead_user, invitation=invitation, expert=world.member)


def _queries(call):
    """The queries of `call` once warm (the first call of a test also reads what a process keeps: the token …)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["enterprise_user", "lead_user", "manager", "secretariat"])
def test_the_rest_list_costs_as_many_queries_for_20_invitations_as_for_2(world, token_client_for, who):
    client = token_client_for(getattr(world, who))

    def listed(count):
        def call():
            response = client.get("/api/v1/studio-invitations/?page_size=50")
            assert response.status_code == 200 and response.json()["count"] == count
            assert all(row["actions"] for row in response.json()["results"] if row["status"] == "pending")
        return call

    _invitations(world, 2)
    two = _queries(listed(2))
    _invitations(world, 20)
    assert _queries(listed(20)) == two


@pytest.mark.parametrize("who", ["enterprise_user", "lead_user", "manager", "secretariat"])
def test_the_graphql_list_costs_as_many_queries_for_20_invitations_as_for_2(world, who):
    user = getattr(world, who)

    def listed(count):
        def call():
            data = run(STUDIO_INVITATIONS_QUERY, user=user).ok()["studioInvitations"]
            assert data["totalCount"] == count
            assert [e["node"]["pairing"] for e in data["edges"] if e["node"]["pairing"]] == [
                {"status": "PROPOSED", "expert": {"name": "成员甲"}}] * ((count + 3) // 4)
        return call

    _invitations(world, 2)
    two = _queries(listed(2))
    _invitations(world, 20)
    assert _queries(listed(20)) == two
