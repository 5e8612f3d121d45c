"""The secretariat's liaison work (issue 12 §1): the liaison queue, answers recorded on an expert's behalf (代为答复),
the scan of a paper agreement signed on site, and the claim list.

Given invitations to experts who cannot answer on the site (no account, or no channel), the secretariat sees them
oldest first with the expert's phone and employer; a liaison records the answer the expert gave by phone or in
person — audited as answered on the expert's behalf by that liaison, told to both sides, signing nothing. Signing
needs the expert (account or link) or the scan of the paper agreement both signed on site: a PDF, JPEG or PNG
(read from its bytes), at most PAIRING_PAPER_MAX_BYTES, stored under MEDIA_ROOT and served to the parties and the
secretariat only. Only the secretariat does any of this (REST 403, GraphQL FORBIDDEN, pages 403).
"""
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Challenge
from experts.selectors import unclaimed_experts
from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from jianglian.models import AuditEntry, NotificationLog
from matching.models import PairingAgreement, ResponseChannel
from matching.pairings import invitations, selectors, services
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

Status = PairingAgreement.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its scans in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world():
    """An enterprise's open challenge, invitations to: an expert without an account (A), one with an account and
    no channel (B), one reachable on the site (C); the secretariat; another enterprise."""
    enterprise_user, enterprise = factories.make_enterprise_user()
    challenge = factories.make_challenge(enterprise=enterprise)
    no_account = factories.make_expert(name="无账号", phone="13800138000", employer="川化一厂")
    no_channel_user, no_channel = factories.make_expert_user(name="无渠道", email="", phone="028-88888888")
    reachable_user, reachable = factories.make_expert_user(name="可联系")
    pairings = {}
    for key, expert in (("no_account", no_account), ("no_channel", no_channel), ("reachable", reachable)):
        pairings[key] = services.pairing_propose(user=enterprise_user, challenge=challenge, expert=expert)
    other_user, _ = factories.make_enterprise_user()
    from types import SimpleNamespace
    return SimpleNamespace(
        enterprise_user=enterprise_user, enterprise=enterprise, challenge=challenge, pairings=pairings,
        no_account=no_account, no_channel_user=no_channel_user, reachable_user=reachable_user,
        secretariat=factories.make_secretariat(), other_enterprise_user=other_user,
    )


def roles(world):
    return {"enterprise": world.enterprise_user, "expert": world.reachable_user,
            "other enterprise": world.other_enterprise_user, "no role": factories.make_user()}


def stored_files():
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


# --- the liaison queue ----------------------------------------------------------------------------------------


def test_the_queue_holds_invitations_waiting_on_experts_without_account_or_channel_oldest_first(world):
    PairingAgreement.objects.filter(pk=world.pairings["no_account"].pk).update(
        proposed_at=timezone.now() - timedelta(days=2))
    queue = list(selectors.liaison_queue(user=world.secretariat))
    assert queue == [world.pairings["no_account"], world.pairings["no_channel"]]


def test_answered_and_expired_invitations_leave_the_queue(world):
    services.pairing_record_response(user=world.secretariat, pairing=world.pairings["no_account"], accept=False,
                                     channel="phone")
    PairingAgreement.objects.filter(pk=world.pairings["no_channel"].pk).update(expires_at=timezone.now())
    assert list(selectors.liaison_queue(user=world.secretariat)) == []


def test_only_the_secretariat_reads_the_queue(world, client_for):
    for name, user in roles(world).items():
        with pytest.raises(NotAllowed):
            selectors.liaison_queue(user=user)
        assert client_for(user).get("/api/v1/pairings/liaison-queue/").status_code == 403, name
        assert run("{ liaisonQueue { totalCount } }", user=user).code == "FORBIDDEN", name
        assert Client().get(reverse("web:liaison_queue")).status_code == 302
    assert client_for(None).get("/api/v1/pairings/liaison-queue/").status_code == 401


def test_the_queue_over_rest_graphql_and_the_page_shows_phone_and_employer_paginated(world, client_for, web=None):
    body = client_for(world.secretariat).get("/api/v1/pairings/liaison-queue/?page_size=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1
    first = body["results"][0]
    assert first["expert"] == {"id": world.no_account.pk, "name": "无账号", "employer": "川化一厂",
                               "phone": "13800138000", "email": world.no_account.email, "has_account": False}
    assert first["reason"] == "no_account"
    data = run("{ liaisonQueue(first: 5) { totalCount edges { node { expert { name phone employer } } } } }",
               user=world.secretariat).ok()
    assert data["liaisonQueue"]["totalCount"] == 2
    assert data["liaisonQueue"]["edges"][0]["node"]["expert"] == {"name": "无账号", "phone": "13800138000",
                                                                   "employer": "川化一厂"}
    client = Client()
    client.force_login(world.secretariat)
    html = client.get(reverse("web:liaison_queue")).content.decode()
    assert "13800138000" in html and "川化一厂" in html and 'data-count="2"' in html


def test_the_queue_page_asks_a_fixed_number_of_queries(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(world.secretariat)
    client.get(reverse("web:liaison_queue"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("web:liaison_queue"))
    for _ in range(3):
        services.pairing_propose(user=world.enterprise_user, challenge=world.challenge, expert=factories.make_expert())
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:liaison_queue"))


# --- answers recorded on the expert's behalf ------------------------------------------------------------------


def test_a_liaison_records_an_acceptance_on_the_experts_behalf(world):
    pairing = services.pairing_record_response(user=world.secretariat, pairing=world.pairings["no_account"],
                                               accept=True, channel="phone", note="电话确认，下周到厂")
    assert (pairing.status, pairing.response_channel, pairing.responded_on_behalf_by, pairing.response_note) == (
        Status.ACCEPTED, ResponseChannel.PHONE, world.secretariat, "电话确认，下周到厂")
    assert (pairing.expert_signed_at, pairing.enterprise_signed_at) == (None, None)  # nobody signed for anyone
    entry = AuditEntry.objects.filter(subject_id=pairing.pk, subject_type="matching.pairingagreement").first()
    assert (entry.action, entry.actor, entry.actor_role, entry.to_state) == (
        "accept_on_behalf", world.secretariat, "secretariat", "accepted")
    assert entry.note == "代为答复（电话）：电话确认，下周到厂"
    rows = NotificationLog.objects.filter(kind="pairing_answered_on_behalf")
    assert {row.recipient_id for row in rows if row.recipient_id} == {world.enterprise_user.pk}
    # the expert has no account: told on the channels of the catalog entry (its mobile here; its e-mail too)
    assert {row.to_phone for row in rows if row.recipient_id is None} >= {"13800138000"}


def test_both_sides_are_told_when_the_expert_has_an_account(world):
    services.pairing_record_response(user=world.secretariat, pairing=world.pairings["no_channel"], accept=False,
                                     channel="in_person", note="不方便")
    told = set(NotificationLog.objects.filter(kind="pairing_answered_on_behalf").values_list("recipient", flat=True))
    assert told == {world.enterprise_user.pk, world.no_channel_user.pk}
    assert PairingAgreement.objects.get(pk=world.pairings["no_channel"].pk).status == Status.DECLINED


def test_an_answer_on_behalf_follows_the_experts_own_rules(world):
    pairing = world.pairings["no_account"]
    with pytest.raises(ValidationError) as bad:
        services.pairing_record_response(user=world.secretariat, pairing=pairing, accept=True, channel="site")
    assert "channel" in bad.value.message_dict
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now())
    with pytest.raises(IllegalTransition) as expired:
        services.pairing_record_response(user=world.secretariat, pairing=pairing, accept=True, channel="phone")
    assert expired.value.code == "expired"
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() + timedelta(days=1))
    world.no_account.capacity = 0
    world.no_account.save()
    with pytest.raises(Conflict) as full:
        services.pairing_record_response(user=world.secretariat, pairing=pairing, accept=True, channel="phone")
    assert full.value.code == "capacity_reached"
    assert PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED


@pytest.mark.parametrize("role", ["enterprise", "expert", "other enterprise", "no role"])
def test_only_the_secretariat_records_an_answer(world, client_for, role):
    user = roles(world)[role]
    pairing = world.pairings["reachable"]
    with pytest.raises(NotAllowed):
        services.pairing_record_response(user=user, pairing=pairing, accept=True, channel="phone")
    response = client_for(user).post(f"/api/v1/pairings/{pairing.pk}/record-response/",
                                     {"accept": True, "channel": "phone"}, format="json")
    assert response.status_code == (403 if role in {"enterprise", "expert"} else 404)
    result = run("""mutation($id: ID!) { recordPairingResponse(id: $id, accept: true, channel: PHONE) {
                    pairing { status } } }""", {"id": gid("Pairing", pairing)}, user=user)
    assert result.code == "FORBIDDEN"
    client = Client()
    client.force_login(user)
    page = client.post(reverse("web:pairing_record_response", args=[pairing.pk]),
                       {"answer": "accept", "channel": "phone"})
    assert page.status_code == (403 if role in {"enterprise", "expert"} else 404)
    assert PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED
    assert not AuditEntry.objects.filter(action__endswith="_on_behalf").exists()


def test_the_secretariat_records_answers_over_rest_graphql_and_the_page(world, client_for):
    response = client_for(world.secretariat).post(
        f"/api/v1/pairings/{world.pairings['no_account'].pk}/record-response/",
        {"accept": True, "channel": "phone", "note": "同意"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["response_channel"], body["responded_on_behalf_by"]) == (
        "accepted", "phone", world.secretariat.username)
    bad = client_for(world.secretariat).post(
        f"/api/v1/pairings/{world.pairings['no_channel'].pk}/record-response/",
        {"accept": True, "channel": "link"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"channel"}
    mass = client_for(world.secretariat).post(
        f"/api/v1/pairings/{world.pairings['no_channel'].pk}/record-response/",
        {"accept": True, "channel": "phone", "status": "active"}, format="json")
    assert mass.status_code == 400 and set(mass.json()["errors"]) == {"status"}
    result = run("""mutation($id: ID!) { recordPairingResponse(id: $id, accept: false, channel: IN_PERSON, note: "忙") {
                    pairing { status responseChannel respondedOnBehalfBy } } }""",
                 {"id": gid("Pairing", world.pairings["no_channel"])}, user=world.secretariat)
    assert result.ok()["recordPairingResponse"]["pairing"] == {
        "status": "DECLINED", "responseChannel": "IN_PERSON", "respondedOnBehalfBy": world.secretariat.username}
    client = Client()
    client.force_login(world.secretariat)
    client.post(reverse("web:pairing_record_response", args=[world.pairings["reachable"].pk]),
                {"answer": "decline", "channel": "other", "note": "微信答复"})
    assert PairingAgreement.objects.get(pk=world.pairings["reachable"].pk).response_channel == "other"


def test_after_an_acceptance_on_behalf_the_link_opens_the_account_and_the_expert_signs(
        world, django_capture_on_commit_callbacks):
    from django.core import mail
    from tests.matching.test_invitations import link_in

    expert = factories.make_expert(email="zhang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.pairing_propose(user=world.enterprise_user, challenge=factories.make_challenge(enterprise=world.enterprise),
                                           expert=expert)
    path = link_in(mail.outbox[-1].body)
    services.pairing_record_response(user=world.secretariat, pairing=pairing, accept=True, channel="phone")
    client = Client()
    page = client.get(path).content.decode()
    assert 'data-invitation="open"' in page and 'name="answer"' not in page
    response = client.post(path, {"username": "zhang", "password1": "Jianglian-2026!x",
                                  "password2": "Jianglian-2026!x"})
    assert response.status_code == 302
    client.post(reverse("web:pairing_action", args=[pairing.pk, "sign"]))
    pairing.refresh_from_db()
    assert pairing.expert_signed_at is not None and pairing.status == Status.ACCEPTED


# --- the paper agreement ---------------------------------------------------------------------------------------


def upload(data, name="scan.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize("content, kind", [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_a_paper_agreement_records_both_signatures_on_its_date_and_the_agreement_is_active(world, content, kind):
    signed_on = timezone.localdate()
    pairing = services.pairing_attach_paper(user=world.secretariat, pairing=world.pairings["no_account"],
                                            file=upload(content, "whatever.bin"), signed_on=signed_on)
    assert pairing.status == Status.ACTIVE and pairing.paper_content_type == kind
    assert timezone.localtime(pairing.expert_signed_at).date() == signed_on
    assert timezone.localtime(pairing.enterprise_signed_at).date() == signed_on
    assert (pairing.paper_signed_on, pairing.paper_attached_by) == (signed_on, world.secretariat)
    assert Challenge.objects.get(pk=world.challenge.pk).status == Challenge.Status.PAIRED
    assert {p.status for p in PairingAgreement.objects.exclude(pk=pairing.pk)} == {Status.WITHDRAWN}
    stored = stored_files()
    assert len(stored) == 1 and stored[0].read_bytes() == content
    assert str(stored[0]).startswith(str(settings.MEDIA_ROOT))
    assert AuditEntry.objects.filter(subject_id=pairing.pk, action="paper_agreement", actor=world.secretariat).exists()


@pytest.mark.parametrize("content, name, why", [
    (b"GIF89a" + b"\x00" * 32, "scan.pdf", "a GIF named .pdf"),
    (b"<html><script>alert(1)</script>", "scan.png", "HTML named .png"),
    (b"", "scan.pdf", "empty"),
])
def test_a_scan_of_a_wrong_type_is_refused_and_nothing_is_stored(world, content, name, why, client_for):
    pairing = world.pairings["no_account"]
    with pytest.raises(ValidationError) as refused:
        services.pairing_attach_paper(user=world.secretariat, pairing=pairing, file=upload(content, name),
                                      signed_on=timezone.localdate())
    assert "file" in refused.value.message_dict, why
    response = client_for(world.secretariat).post(
        f"/api/v1/pairings/{pairing.pk}/paper-agreement/",
        {"file": upload(content, name), "signed_on": timezone.localdate().isoformat()}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"], why
    assert stored_files() == []
    assert PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED


def test_a_scan_too_large_is_refused_and_nothing_is_stored(world, settings, client_for):
    settings.PAIRING_PAPER_MAX_BYTES = 1024
    pairing = world.pairings["no_account"]
    response = client_for(world.secretariat).post(
        f"/api/v1/pairings/{pairing.pk}/paper-agreement/",
        {"file": upload(PDF + b"0" * 2000), "signed_on": timezone.localdate().isoformat()}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]
    with pytest.raises(ValidationError):  # a stream that does not tell its size is read no further than the cap
        services.pairing_attach_paper(user=world.secretariat, pairing=pairing,
                                      file=io.BytesIO(PDF + b"0" * 2000), signed_on=timezone.localdate())
    assert stored_files() == [] and PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED


def test_the_paper_date_is_checked_and_a_refusal_stores_nothing(world):
    pairing = world.pairings["no_account"]
    for signed_on in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=30)):
        with pytest.raises(ValidationError) as refused:
            services.pairing_attach_paper(user=world.secretariat, pairing=pairing, file=upload(PDF),
                                          signed_on=signed_on)
        assert "signed_on" in refused.value.message_dict
    world.no_account.capacity = 0
    world.no_account.save()
    with pytest.raises(Conflict):
        services.pairing_attach_paper(user=world.secretariat, pairing=pairing, file=upload(PDF),
                                      signed_on=timezone.localdate())
    assert stored_files() == []


def test_a_write_failing_after_the_scan_was_stored_removes_it(world, monkeypatch):
    """The scan is on disk before its row commits; a failure from there on (the challenge's row, the audit
    trail, a notification) rolls the agreement back and removes the file (jianglian.files)."""
    from django.db import DatabaseError

    def unwritable(*args, **kwargs):
        raise DatabaseError("the audit trail is unwritable")

    monkeypatch.setattr("matching.pairings.services._audit", unwritable)
    pairing = world.pairings["no_account"]
    with pytest.raises(DatabaseError):
        services.pairing_attach_paper(user=world.secretariat, pairing=pairing, file=upload(PDF),
                                      signed_on=timezone.localdate())
    assert stored_files() == [] and PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED


@pytest.mark.parametrize("role", ["enterprise", "expert", "other enterprise", "no role"])
def test_only_the_secretariat_attaches_a_paper_agreement(world, client_for, role):
    user = roles(world)[role]
    pairing = world.pairings["reachable"]
    with pytest.raises(NotAllowed):
        services.pairing_attach_paper(user=user, pairing=pairing, file=upload(PDF), signed_on=timezone.localdate())
    response = client_for(user).post(f"/api/v1/pairings/{pairing.pk}/paper-agreement/",
                                     {"file": upload(PDF), "signed_on": timezone.localdate().isoformat()},
                                     format="multipart")
    assert response.status_code == (403 if role in {"enterprise", "expert"} else 404)
    client = Client()
    client.force_login(user)
    page = client.post(reverse("web:pairing_attach_paper", args=[pairing.pk]),
                       {"file": upload(PDF), "signed_on": timezone.localdate().isoformat()})
    assert page.status_code == (403 if role in {"enterprise", "expert"} else 404)
    assert stored_files() == [] and PairingAgreement.objects.get(pk=pairing.pk).status == Status.PROPOSED


def test_the_scan_is_served_to_the_parties_and_the_secretariat_only_never_at_a_public_url(world, client_for):
    pairing = world.pairings["no_channel"]
    client = Client()
    client.force_login(world.secretariat)
    response = client.post(reverse("web:pairing_attach_paper", args=[pairing.pk]),
                           {"file": upload(PNG, "scan.png"), "signed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == Status.ACTIVE
    api = f"/api/v1/pairings/{pairing.pk}/paper-agreement/"
    for user in (world.secretariat, world.enterprise_user, world.no_channel_user):
        got = client_for(user).get(api)
        assert got.status_code == 200 and got["Content-Type"] == "image/png"
        assert b"".join(got.streaming_content) == PNG and got["X-Content-Type-Options"] == "nosniff"
        assert client_for(user).get(f"/api/v1/pairings/{pairing.pk}/").json()["paper_agreement_url"] == api
        web = Client()
        web.force_login(user)
        assert web.get(reverse("web:pairing_paper", args=[pairing.pk])).status_code == 200
    for user in (world.other_enterprise_user, world.reachable_user):
        assert client_for(user).get(api).status_code == 404
        web = Client()
        web.force_login(user)
        assert web.get(reverse("web:pairing_paper", args=[pairing.pk])).status_code == 404
    assert client_for(None).get(api).status_code == 401
    assert Client().get("/media/" + pairing.paper_scan.name).status_code == 404
    data = run("query($id: ID!) { node(id: $id) { ... on Pairing { paperSignedOn paperAgreementUrl } } }",
               {"id": gid("Pairing", pairing)}, user=world.enterprise_user).ok()
    assert data["node"]["paperAgreementUrl"] == api


# --- the claim list ---------------------------------------------------------------------------------------------


def test_the_claim_list_searches_name_employer_or_phone_with_true_counts_and_pages(world):
    factories.make_expert(name="周建国", employer="泸天化", phone="139-0812-3456")
    for n in range(25):
        factories.make_expert(name=f"候补{n:02d}", employer="宜宾天原")
    everyone = unclaimed_experts(user=world.secretariat)
    assert everyone.count() == 27  # the world's 无账号 + 周建国 + 25
    assert [e.name for e in unclaimed_experts(user=world.secretariat, q="周建")] == ["周建国"]
    assert [e.name for e in unclaimed_experts(user=world.secretariat, q="泸天化")] == ["周建国"]
    assert [e.name for e in unclaimed_experts(user=world.secretariat, q="13908123456")] == ["周建国"]
    assert unclaimed_experts(user=world.secretariat, q="宜宾 候补0").count() == 10
    client = Client()
    client.force_login(world.secretariat)
    html = client.get(reverse("web:expert_claims")).content.decode()
    assert 'data-found="27"' in html and "第 1 / 2 页" in html
    html = client.get(reverse("web:expert_claims"), {"q": "宜宾"}).content.decode()
    assert 'data-found="25" data-total="27"' in html
    html = client.get(reverse("web:secretariat")).content.decode()
    assert 'data-unclaimed-count="27"' in html and 'data-liaison-count="2"' in html
    for user in roles(world).values():
        with pytest.raises(NotAllowed):
            unclaimed_experts(user=user)


def test_the_claim_list_over_rest_and_graphql_for_the_secretariat_only(world, client_for):
    factories.make_expert(name="周建国", employer="泸天化", phone="139-0812-3456")
    body = client_for(world.secretariat).get("/api/v1/experts/unclaimed/", {"q": "13908123456"}).json()
    assert body["count"] == 1 and body["results"][0]["name"] == "周建国"
    assert body["results"][0]["phone"] == "139-0812-3456"
    assert client_for(world.secretariat).get("/api/v1/experts/unclaimed/?page_size=1").json()["count"] == 2
    data = run('{ unclaimedExperts(first: 5, q: "泸天化") { totalCount edges { node { name phone } } } }',
               user=world.secretariat).ok()
    assert data["unclaimedExperts"] == {"totalCount": 1, "edges": [{"node": {"name": "周建国",
                                                                           "phone": "139-0812-3456"}}]}
    for user in roles(world).values():
        assert client_for(user).get("/api/v1/experts/unclaimed/").status_code == 403
        assert run("{ unclaimedExperts(first: 5) { totalCount } }", user=user).code == "FORBIDDEN"


def test_the_rest_queue_asks_a_fixed_number_of_queries(world, token_client_for, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client_for(world.secretariat)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/pairings/liaison-queue/").json()["count"] == 2
    for _ in range(5):
        services.pairing_propose(user=world.enterprise_user, challenge=world.challenge, expert=factories.make_expert())
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get("/api/v1/pairings/liaison-queue/").json()["count"] == 7
