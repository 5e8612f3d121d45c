"""/api/v1/pairings/ — the REST face of the pairing services: the same rules, the one error shape.

Only the parties and the secretariat see an agreement (others get 404); a forbidden action on a visible
agreement answers 403; an illegal or lost transition answers 409.
"""
import io

import pytest
from pypdf import PdfReader

from matching.models import PairingAgreement
from matching.pairings import services
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/pairings/"
Status = PairingAgreement.Status


def detail(pairing, suffix=""):
    return f"{URL}{pairing.pk}/{suffix}"


@pytest.fixture
def parties():
    return factories.make_pairing_parties()


@pytest.fixture
def proposed(parties):
    return services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert,
                                    message="请帮忙", goals="蒸汽单耗降低10%")


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


def test_the_whole_lifecycle_through_rest(parties, token_client_for):
    enterprise, expert = token_client_for(parties.enterprise_user), token_client_for(parties.expert_user)
    response = post(enterprise, URL, {"challenge": parties.challenge.pk, "expert": parties.expert.pk,
                                      "message": "请帮忙", "start_date": "2026-03-01", "end_date": "2026-09-30"})
    assert response.status_code == 201, response.json()
    pairing = PairingAgreement.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "proposed" and response.json()["expert"]["phone"] is None

    steps = [
        (expert, "accept", {"note": "乐意"}, "accepted"),
        (enterprise, "sign", None, "accepted"),
        (expert, "sign", None, "active"),
        (enterprise, "complete", {"summary": "蒸汽单耗下降12%", "problems_solved": 2, "savings_yuan": "350000.00",
                                  "workers_trained": 30, "rating": 5}, "completed"),
        (expert, "rate", {"rating": 4}, "completed"),
    ]
    for client, action, data, expected in steps:
        response = post(client, detail(pairing, f"{action}/"), data)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == expected
    body = response.json()
    assert (body["savings_yuan"], body["enterprise_rating"], body["expert_rating"]) == ("350000.00", 5, 4)
    assert body["challenge"]["status"] == "resolved"


def test_privileged_fields_cannot_be_posted(parties, token_client_for):
    response = post(token_client_for(parties.enterprise_user), URL, {
        "challenge": parties.challenge.pk, "expert": parties.expert.pk, "status": "active",
        "proposed_by": parties.expert_user.pk,
    })
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "proposed_by"}
    assert not PairingAgreement.objects.exists()


def test_an_outsider_sees_nothing_and_changes_nothing(proposed, token_client_for):
    for outsider in (factories.make_enterprise_user()[0], factories.make_expert_user()[0]):
        client = token_client_for(outsider)
        assert client.get(URL).json()["results"] == []
        assert client.get(detail(proposed)).status_code == 404
        for action in ("accept", "decline", "withdraw", "sign", "terminate"):
            assert post(client, detail(proposed, f"{action}/"), {"reason": "x"}).status_code == 404
        assert client.get(detail(proposed, "document/")).status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED


def test_anonymous_callers_must_log_in(proposed, token_client_for):
    client = token_client_for(None)
    assert client.get(URL).status_code == 401
    assert post(client, detail(proposed, "accept/")).status_code == 401


def test_the_secretariat_sees_every_agreement(proposed, token_client_for, secretariat):
    client = token_client_for(secretariat)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [proposed.pk]
    assert client.get(detail(proposed)).status_code == 200


def test_a_party_doing_the_other_sides_action_is_forbidden(parties, proposed, token_client_for):
    response = post(token_client_for(parties.enterprise_user), detail(proposed, "accept/"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_illegal_and_lost_transitions_answer_409(parties, proposed, token_client_for):
    expert = token_client_for(parties.expert_user)
    assert post(expert, detail(proposed, "sign/")).json()["code"] == "illegal_transition"
    other_user, other = factories.make_expert_user()
    rival = factories.make_pairing(challenge=parties.challenge, expert=other)
    assert post(expert, detail(proposed, "accept/")).status_code == 200
    response = post(token_client_for(other_user), detail(rival, "accept/"))
    assert (response.status_code, response.json()["code"]) == (409, "challenge_taken")


def test_bad_outcome_values_answer_400(parties, token_client_for):
    pairing = services.pairing_accept(user=parties.expert_user, pairing=services.pairing_propose(
        user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert))
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    services.pairing_sign(user=parties.enterprise_user, pairing=pairing)
    response = post(token_client_for(parties.expert_user), detail(pairing, "complete/"),
                    {"summary": "ok", "rating": 9, "savings_yuan": "-5"})
    assert response.status_code == 400 and {"rating", "savings_yuan"} <= set(response.json()["errors"])


def test_the_experts_contact_shows_once_accepted(parties, proposed, token_client_for):
    enterprise = token_client_for(parties.enterprise_user)
    assert enterprise.get(detail(proposed)).json()["expert"]["phone"] is None
    post(token_client_for(parties.expert_user), detail(proposed, "accept/"))
    contact = enterprise.get(detail(proposed)).json()["expert"]
    assert (contact["phone"], contact["email"]) == (parties.expert.phone, parties.expert.email)


def test_list_filters_by_status_in_a_fixed_number_of_queries(parties, token_client_for, django_assert_max_num_queries):
    for _ in range(5):
        services.pairing_propose(user=parties.enterprise_user, expert=parties.expert,
                                 challenge=factories.make_challenge(enterprise=parties.enterprise))
    client = token_client_for(parties.expert_user)
    # token + user, expert_of, enterprise_ids, groups (is_secretariat), count, page, contact ids
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"status": "proposed"})
    assert len(response.json()["results"]) == 5
    assert client.get(URL, {"status": "active"}).json()["results"] == []


# --- the printable agreement ---------------------------------------------------------------------


def signed(parties, proposed):
    services.pairing_accept(user=parties.expert_user, pairing=proposed)
    services.pairing_sign(user=parties.expert_user, pairing=proposed)
    return services.pairing_sign(user=parties.enterprise_user, pairing=proposed)


def test_the_document_renders_as_html_with_parties_goals_and_signatures(parties, proposed, token_client_for):
    pairing = signed(parties, proposed)
    response = token_client_for(parties.enterprise_user).get(detail(pairing, "document/"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for text in ("结对意向书", parties.enterprise.name, parties.enterprise.credit_code, parties.expert.name,
                 parties.challenge.title, "蒸汽单耗降低10%", f"JL-PA-{pairing.pk:06d}"):
        assert text in html
    assert "未签署" not in html and "（未生效）" not in html


@pytest.mark.parametrize("how", ["query", "accept"])
def test_the_document_renders_as_a_pdf_that_parses(parties, proposed, token_client_for, how):
    pairing = signed(parties, proposed)
    client = token_client_for(parties.expert_user)
    if how == "query":
        response = client.get(detail(pairing, "document/"), {"format": "pdf"})
    else:
        response = client.get(detail(pairing, "document/"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("结对意向书", parties.enterprise.name, parties.expert.name, parties.challenge.title):
        assert expected in text
    assert reader.metadata.title == f"结对意向书 JL-PA-{pairing.pk:06d}"


def test_an_unsigned_document_says_it_is_not_in_force(parties, proposed, token_client_for):
    html = token_client_for(parties.expert_user).get(detail(proposed, "document/")).content.decode()
    assert "（未生效）" in html and "未签署" in html


def test_a_document_error_is_json(proposed, token_client_for):
    response = token_client_for(factories.make_user()).get(detail(proposed, "document/"), {"format": "pdf"})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
