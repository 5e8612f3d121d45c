"""Challenges (enterprises.services / selectors, REST /api/v1/challenges/, GraphQL `challenges`,
`createChallenge`, `updateChallenge`, `publishChallenge`, `closeChallenge`): each rule's service, REST and
GraphQL cases side by side.

Public challenges (open, paired, resolved) are visible to all; an enterprise also sees its own drafts
and closed ones; the secretariat sees everything. A challenge moves draft → open → closed only through its
enterprise (the secretariat may close one too), and only a verified enterprise publishes.
"""
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianglian.models import AuditEntry
from enterprises import selectors, services
from enterprises.models import Challenge, Enterprise
from jianglian.choices import Category, Province
from jianglian.errors import IllegalTransition, NotAllowed
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/challenges/"
Status = Challenge.Status


def detail(challenge, suffix=""):
    return f"{URL}{challenge.pk}/{suffix}"


def ids(response):
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


NEW = {"title": "反应釜温控波动大", "description": "夹套冷却水温度波动导致批次质量不稳定。", "category": "technology"}


@pytest.fixture
def a_draft(enterprise_user):
    return factories.make_challenge(enterprise=enterprise_user[1], status=Status.DRAFT, title="草稿")


@pytest.fixture
def a_challenges(enterprise_user):
    """One challenge of enterprise A in each status."""
    _, enterprise = enterprise_user
    return {status: factories.make_challenge(enterprise=enterprise, status=status, title=f"需求-{status}")
            for status in Challenge.Status.values}


# --- who sees which challenges: drafts and closed ones only their enterprise and the secretariat -------------

def test_drafts_and_closed_challenges_are_seen_only_by_their_enterprise_and_the_secretariat(
    enterprise_user, other_enterprise_user, secretariat
):
    user, enterprise = enterprise_user
    other, _ = other_enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    closed = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.CLOSED)
    public = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.OPEN)

    assert set(selectors.challenge_list(user=user)) == {draft, closed, public}
    assert set(selectors.challenge_list(user=secretariat)) == {draft, closed, public}
    assert set(selectors.challenge_list(user=other)) == {public}
    assert set(selectors.challenge_list(user=None)) == {public}


def test_anonymous_sees_public_challenges_only(token_client_for, enterprise_user, a_draft):
    enterprise = enterprise_user[1]
    public = {factories.make_challenge(enterprise=enterprise, status=s).pk
              for s in (Status.OPEN, Status.PAIRED, Status.RESOLVED)}
    factories.make_challenge(enterprise=enterprise, status=Status.CLOSED)
    assert ids(token_client_for(None).get(URL)) == public


@pytest.mark.parametrize("role", ["anonymous", "other_enterprise", "expert"])
def test_a_draft_is_invisible_to_others_in_list_and_detail(role, a_draft, token_client_for,
                                                           other_enterprise_user, expert_user):
    user = {"anonymous": None, "other_enterprise": other_enterprise_user[0], "expert": expert_user[0]}[role]
    client = token_client_for(user)
    assert a_draft.pk not in ids(client.get(URL))
    assert client.get(detail(a_draft)).status_code == 404


@pytest.mark.parametrize("role", ["own_enterprise", "secretariat"])
def test_a_draft_is_visible_to_its_enterprise_and_the_secretariat(role, a_draft, token_client_for,
                                                                  enterprise_user, secretariat):
    user = {"own_enterprise": enterprise_user[0], "secretariat": secretariat}[role]
    client = token_client_for(user)
    assert a_draft.pk in ids(client.get(URL))
    assert client.get(detail(a_draft)).json()["status"] == "draft"


CHALLENGE_IDS = "query($status: ChallengeStatus) { challenges(status: $status) { totalCount edges { node { id status } } } }"
NODE = 'query($id: ID!) { node(id: $id) { id ... on Challenge { title status enterprise { name } } } }'


def visible_ids(user):
    data = run(CHALLENGE_IDS, user=user).ok()
    return {edge["node"]["id"] for edge in data["challenges"]["edges"]}


@pytest.mark.parametrize("role, statuses", [
    ("anonymous", {"open", "paired", "resolved"}),
    ("B", {"open", "paired", "resolved"}),
    ("expert", {"open", "paired", "resolved"}),
    ("A", {"draft", "open", "paired", "resolved", "closed"}),
    ("secretariat", {"draft", "open", "paired", "resolved", "closed"}),
])
def test_challenge_list_holds_only_what_the_role_may_see(roles, a_challenges, role, statuses):
    expected = {gid("Challenge", a_challenges[s]) for s in statuses}
    assert visible_ids(roles[role]) == expected


@pytest.mark.parametrize("role, found", [
    ("anonymous", False), ("B", False), ("expert", False), ("A", True), ("secretariat", True),
])
def test_node_lookup_of_a_draft_follows_the_list_visibility(roles, a_challenges, role, found):
    result = run(NODE, {"id": gid("Challenge", a_challenges["draft"])}, user=roles[role])
    if found:
        assert result.ok()["node"]["status"] == "DRAFT"
    else:
        assert result.code == "NOT_FOUND"
        assert result.data == {"node": None}


def test_node_lookup_with_a_malformed_or_foreign_id_is_not_found(roles, a_challenges):
    assert run(NODE, {"id": "not-a-global-id"}).code == "NOT_FOUND"
    assert run(NODE, {"id": gid("Challenge", 999999)}).code == "NOT_FOUND"
    assert run(NODE, {"id": gid("NoSuchType", 1)}).code == "NOT_FOUND"


# --- the list: filters, pages, a fixed number of queries -----------------------------------------------------

def test_filters(token_client_for, enterprise_user):
    user, own = enterprise_user
    skill = factories.make_skill(code="catalysis")
    tech = factories.make_challenge(enterprise=own, category=Category.TECHNOLOGY, skills=[skill])
    elsewhere = factories.make_challenge(enterprise=factories.make_enterprise(province="jiangsu"),
                                         category=Category.MANAGEMENT, preferred_province="zhejiang")
    draft = factories.make_challenge(enterprise=own, status=Status.DRAFT)
    client = token_client_for(user)
    assert ids(client.get(URL + "?category=technology")) == {tech.pk}
    assert ids(client.get(URL + "?skill=catalysis")) == {tech.pk}
    assert ids(client.get(URL + f"?skill={skill.pk}")) == {tech.pk}
    assert ids(client.get(URL + "?province=jiangsu")) == {elsewhere.pk}
    assert ids(client.get(URL + "?preferred_province=zhejiang")) == {elsewhere.pk}
    assert ids(client.get(URL + "?status=draft")) == {draft.pk}
    assert ids(client.get(URL + "?mine=true")) == {tech.pk, draft.pk}
    assert ids(client.get(URL + f"?enterprise={elsewhere.enterprise_id}")) == {elsewhere.pk}


def test_a_page_never_holds_more_than_the_cap(token_client_for):
    enterprise = factories.make_enterprise()
    Challenge.objects.bulk_create([
        Challenge(enterprise=enterprise, title=f"需求{i}", description="…", category=Category.GREEN, status=Status.OPEN)
        for i in range(settings.API_MAX_PAGE_SIZE + 1)
    ])
    body = token_client_for(None).get(URL + "?page_size=1000000").json()
    assert len(body["results"]) == settings.API_MAX_PAGE_SIZE and body["next"]


def test_challenge_filters(enterprise_user, other_enterprise_user):
    skill = factories.make_skill(code="jingliu")
    _, a = enterprise_user
    _, b = other_enterprise_user
    Enterprise.objects.filter(pk=b.pk).update(province=Province.JIANGSU)
    green = factories.make_challenge(enterprise=a, category=Category.GREEN, skills=[skill])
    tech = factories.make_challenge(enterprise=b, category=Category.TECHNOLOGY)
    query = """query($category: Category, $skill: String, $province: Province, $enterprise: ID) {
      challenges(category: $category, skill: $skill, province: $province, enterprise: $enterprise) {
        edges { node { id } } } }"""

    def ids(**variables):
        return {e["node"]["id"] for e in run(query, variables).ok()["challenges"]["edges"]}

    assert ids(category="GREEN") == {gid("Challenge", green)}
    assert ids(skill="jingliu") == {gid("Challenge", green)}
    assert ids(province="JIANGSU") == {gid("Challenge", tech)}
    assert ids(enterprise=gid("Enterprise", b)) == {gid("Challenge", tech)}
    assert ids() == {gid("Challenge", green), gid("Challenge", tech)}


def test_an_unknown_filter_value_is_refused_before_execution():
    result = run('{ challenges(category: PURPLE) { totalCount } }')
    assert result.status_code == 400
    assert result.code == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_challenges(rows, token_client_for, enterprise_user,
                                                                 django_assert_num_queries):
    user, own = enterprise_user
    skills = [factories.make_skill() for _ in range(3)]
    for i in range(rows):
        factories.make_challenge(enterprise=own if i % 2 else factories.make_enterprise(), skills=skills)
    client = token_client_for(user)
    # token+user, secretariat?, enterprise ids, count, challenges (+enterprise), skills
    with django_assert_num_queries(6):
        response = client.get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


CHALLENGES_NESTED = """{ challenges(first: 100) { totalCount edges { node {
  id title category enterprise { id name province } skills { id code name } } } } }"""


def build_challenges(n):
    skills = [factories.make_skill() for _ in range(3)]
    for i in range(n):
        factories.make_challenge(enterprise=factories.make_enterprise(), skills=skills[: 1 + i % 3])


@pytest.mark.parametrize("rows", [3, 30])
def test_challenges_with_enterprise_and_skills_cost_a_fixed_number_of_queries(
        django_assert_num_queries, enterprise_user, rows):
    user, _ = enterprise_user
    build_challenges(rows)
    run("{ __typename }", user=user)  # creates the token outside the count
    # token+user, secretariat group, own enterprise ids, count, page, enterprises, skills
    with django_assert_num_queries(7):
        data = run(CHALLENGES_NESTED, user=user).ok()
    assert data["challenges"]["totalCount"] == rows
    assert all(e["node"]["enterprise"]["name"] and e["node"]["skills"] for e in data["challenges"]["edges"])


def test_anonymous_challenge_list_costs_the_same_for_3_and_30_rows():
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            run(CHALLENGES_NESTED).ok()
        return len(ctx)

    build_challenges(3)
    small = cost()
    build_challenges(27)
    assert cost() == small == 4  # count, page, enterprises, skills


# --- creating a draft: staff, for their own enterprise -------------------------------------------------------

def test_staff_create_a_draft_for_their_own_enterprise_only(enterprise_user, other_enterprise_user):
    user, enterprise = enterprise_user
    _, other = other_enterprise_user
    challenge = services.challenge_create(
        user=user, enterprise=enterprise, title="输送泵机封泄漏", description="几台泵老是漏料。", category=Category.TECHNOLOGY
    )
    assert challenge.status == Challenge.Status.DRAFT
    with pytest.raises(NotAllowed):
        services.challenge_create(user=user, enterprise=other, title="x", description="y", category=Category.GREEN)


def test_a_bad_category_is_a_field_error(enterprise_user):
    user, enterprise = enterprise_user
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_create(user=user, enterprise=enterprise, title="t", description="d", category="space")
    assert "category" in excinfo.value.message_dict
    assert Challenge.objects.count() == 0


def test_an_enterprise_creates_a_draft_for_itself(token_client_for, enterprise_user):
    user, own = enterprise_user
    skill = factories.make_skill()
    response = token_client_for(user).post(URL, {**NEW, "skills": [skill.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["enterprise"]["id"] == own.pk
    assert [s["id"] for s in body["skills"]] == [skill.pk]


def test_staff_of_several_enterprises_name_the_enterprise(token_client_for, enterprise_user):
    user, own = enterprise_user
    second = factories.make_enterprise(staff=[user])
    client = token_client_for(user)
    response = client.post(URL, NEW, format="json")
    assert response.status_code == 400 and "enterprise" in response.json()["errors"]
    response = client.post(URL, {**NEW, "enterprise": second.pk}, format="json")
    assert response.status_code == 201 and response.json()["enterprise"]["id"] == second.pk


def test_an_enterprise_may_not_post_for_another(token_client_for, enterprise_user, other_enterprise_user):
    user, _ = enterprise_user
    _, other = other_enterprise_user
    response = token_client_for(user).post(URL, {**NEW, "enterprise": other.pk}, format="json")
    assert response.status_code == 403
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("expert", 400)])
def test_callers_without_an_enterprise_may_not_create(role, status, token_client_for, expert_user):
    user = {"anonymous": None, "expert": expert_user[0]}[role]
    assert token_client_for(user).post(URL, NEW, format="json").status_code == status
    assert not Challenge.objects.exists()


def test_an_expert_naming_an_enterprise_is_refused(token_client_for, expert_user, enterprise_user):
    response = token_client_for(expert_user[0]).post(URL, {**NEW, "enterprise": enterprise_user[1].pk}, format="json")
    assert response.status_code == 403
    assert not Challenge.objects.exists()


def test_bad_input_is_a_400_with_field_messages_and_nothing_written(token_client_for, enterprise_user):
    response = token_client_for(enterprise_user[0]).post(
        URL, {"title": "", "category": "astrology", "skills": [987654]}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "description", "category", "skills"} <= set(response.json()["errors"])
    assert not Challenge.objects.exists()


def test_posting_an_open_status_is_refused(token_client_for, enterprise_user):
    response = token_client_for(enterprise_user[0]).post(
        URL, {**NEW, "status": "open", "published_at": "2024-01-01T00:00:00Z", "created_by": 1}, format="json"
    )
    assert response.status_code == 400
    assert {"status", "published_at", "created_by"} <= set(response.json()["errors"])
    assert not Challenge.objects.exists()


CREATE = """mutation($input: CreateChallengeInput!) { createChallenge(input: $input) {
  challenge { id title status category enterprise { id } skills { code } } } }"""


def create_input(enterprise, **extra):
    data = {"enterprise": gid("Enterprise", enterprise), "title": "反应釜温控不稳", "description": "夏季冷却水温度高。",
            "category": "TECHNOLOGY"}
    data.update(extra)
    return {"input": data}


def test_enterprise_staff_create_a_draft_for_their_enterprise(roles, enterprise_user):
    skill = factories.make_skill(code="wenkong")
    _, a = enterprise_user
    data = run(CREATE, create_input(a, skills=[gid("Skill", skill)], preferredProvince="SICHUAN"),
               user=roles["A"]).ok()
    challenge = data["createChallenge"]["challenge"]
    assert challenge["status"] == "DRAFT" and challenge["enterprise"]["id"] == gid("Enterprise", a)
    assert challenge["skills"] == [{"code": "wenkong"}]
    row = Challenge.objects.get()
    assert row.created_by == roles["A"] and row.preferred_province == "sichuan"


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("B", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "FORBIDDEN"),
])
def test_nobody_else_creates_a_challenge_for_enterprise_a(roles, enterprise_user, role, code):
    result = run(CREATE, create_input(enterprise_user[1]), user=roles[role])
    assert result.code == code
    assert result.data == {"createChallenge": None}
    assert not Challenge.objects.exists()


def test_bad_input_answers_field_messages_and_writes_nothing(roles, enterprise_user):
    result = run(CREATE, create_input(enterprise_user[1], title="", preferredCity="x" * 40), user=roles["A"])
    assert result.code == "BAD_USER_INPUT"
    fields = result.errors[0]["extensions"]["fields"]
    assert set(fields) == {"title", "preferredCity"} and all(fields.values())
    assert not Challenge.objects.exists() and not AuditEntry.objects.exists()


def test_unknown_skill_ids_are_bad_input(roles, enterprise_user):
    result = run(CREATE, create_input(enterprise_user[1], skills=[gid("Skill", 424242)]), user=roles["A"])
    assert result.code == "BAD_USER_INPUT" and "skills" in result.errors[0]["extensions"]["fields"]
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("field, value", [("status", "OPEN"), ("createdBy", "1"), ("publishedAt", "2020-01-01")])
def test_privileged_fields_cannot_be_sent(roles, enterprise_user, field, value):
    variables = create_input(enterprise_user[1])
    variables["input"][field] = value
    result = run(CREATE, variables, user=roles["A"])
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert not Challenge.objects.exists()


# --- updating: its enterprise, while draft or open -----------------------------------------------------------

def test_update_refuses_privileged_fields(enterprise_user):
    user, enterprise = enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_update(user=user, challenge=draft, status="resolved", enterprise_id=999)
    assert set(excinfo.value.message_dict) == {"status", "enterprise_id"}
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.DRAFT


def test_a_paired_challenge_can_no_longer_be_edited_or_closed(enterprise_user):
    user, enterprise = enterprise_user
    paired = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.PAIRED)
    with pytest.raises(IllegalTransition):
        services.challenge_update(user=user, challenge=paired, title="new")
    with pytest.raises(IllegalTransition):
        services.challenge_close(user=user, challenge=paired)


def test_the_enterprise_edits_its_challenge(token_client_for, enterprise_user, a_draft):
    response = token_client_for(enterprise_user[0]).patch(detail(a_draft), {"title": "新标题"}, format="json")
    assert response.status_code == 200, response.json()
    a_draft.refresh_from_db()
    assert a_draft.title == "新标题"


def test_status_and_enterprise_cannot_be_changed_by_update(token_client_for, enterprise_user, other_enterprise_user,
                                                           a_draft):
    response = token_client_for(enterprise_user[0]).patch(
        detail(a_draft), {"status": "open", "enterprise": other_enterprise_user[1].pk}, format="json"
    )
    assert response.status_code == 400
    assert {"status", "enterprise"} <= set(response.json()["errors"])
    a_draft.refresh_from_db()
    assert a_draft.status == Status.DRAFT and a_draft.enterprise_id == enterprise_user[1].pk


def test_another_enterprise_may_not_edit_an_open_challenge(token_client_for, enterprise_user, other_enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], title="原标题")
    response = token_client_for(other_enterprise_user[0]).patch(detail(challenge), {"title": "x"}, format="json")
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.title == "原标题"


def test_another_enterprise_gets_404_for_a_draft(token_client_for, other_enterprise_user, a_draft):
    client = token_client_for(other_enterprise_user[0])
    assert client.patch(detail(a_draft), {"title": "x"}, format="json").status_code == 404
    assert client.post(detail(a_draft, "publish/")).status_code == 404
    assert client.post(detail(a_draft, "close/")).status_code == 404
    a_draft.refresh_from_db()
    assert (a_draft.title, a_draft.status) == ("草稿", Status.DRAFT)


def test_anonymous_may_not_edit(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    assert token_client_for(None).patch(detail(challenge), {"title": "x"}, format="json").status_code == 401


def test_a_paired_challenge_can_no_longer_be_edited(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], status=Status.PAIRED)
    response = token_client_for(enterprise_user[0]).patch(detail(challenge), {"title": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


UPDATE = """mutation($id: ID!, $input: UpdateChallengeInput!) { updateChallenge(id: $id, input: $input) {
  challenge { id title category } } }"""


def test_enterprise_staff_update_their_open_challenge(roles, a_challenges):
    challenge = a_challenges["open"]
    data = run(UPDATE, {"id": gid("Challenge", challenge), "input": {"title": "新标题", "category": "MANAGEMENT"}},
               user=roles["A"]).ok()
    assert data["updateChallenge"]["challenge"] == {"id": gid("Challenge", challenge), "title": "新标题",
                                                    "category": "MANAGEMENT"}
    challenge.refresh_from_db()
    assert (challenge.title, challenge.category, challenge.status) == ("新标题", "management", "open")


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", "open", "UNAUTHENTICATED"),
    ("B", "open", "FORBIDDEN"),
    ("B", "draft", "NOT_FOUND"),
    ("expert", "open", "FORBIDDEN"),
    ("secretariat", "open", "FORBIDDEN"),
    ("A", "paired", "CONFLICT"),
    ("A", "closed", "CONFLICT"),
])
def test_update_refusals(roles, a_challenges, role, status, code):
    challenge = a_challenges[status]
    result = run(UPDATE, {"id": gid("Challenge", challenge), "input": {"title": "被改了"}}, user=roles[role])
    assert result.code == code
    challenge.refresh_from_db()
    assert challenge.title == f"需求-{status}"


# --- publishing (a verified enterprise, matching queued after commit) and closing ----------------------------

def test_publishing_needs_a_verified_enterprise(enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    enterprise.verified = False
    enterprise.save()
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with pytest.raises(NotAllowed) as excinfo:
        services.challenge_publish(user=user, challenge=draft)
    assert excinfo.value.code == "enterprise_not_verified"
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.DRAFT


def test_publishing_opens_the_draft_and_queues_matching_after_commit(enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        services.challenge_publish(user=user, challenge=draft)
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.OPEN and draft.published_at is not None
    assert len(callbacks) >= 1
    with pytest.raises(IllegalTransition):
        services.challenge_publish(user=user, challenge=draft)


def test_another_enterprise_cannot_publish_update_or_close(enterprise_user, other_enterprise_user):
    _, enterprise = enterprise_user
    intruder, _ = other_enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    for action in (
        lambda: services.challenge_publish(user=intruder, challenge=draft),
        lambda: services.challenge_update(user=intruder, challenge=draft, title="hijacked"),
        lambda: services.challenge_close(user=intruder, challenge=draft),
    ):
        with pytest.raises(NotAllowed):
            action()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Challenge.Status.DRAFT, "精馏塔蒸汽单耗偏高")


def test_closing_records_the_reason(enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    services.challenge_close(user=user, challenge=challenge, reason="已自行解决")
    entry = AuditEntry.objects.get(subject_type="enterprises.challenge", subject_id=challenge.pk, action="close")
    assert (entry.from_state, entry.to_state, entry.note) == ("open", "closed", "已自行解决")


def test_the_enterprise_publishes_its_draft_once(token_client_for, enterprise_user, a_draft):
    client = token_client_for(enterprise_user[0])
    response = client.post(detail(a_draft, "publish/"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "open" and response.json()["published_at"]
    assert client.post(detail(a_draft, "publish/")).status_code == 409


def test_an_unverified_enterprise_may_not_publish(token_client_for):
    user, enterprise = factories.make_enterprise_user(verified=False)
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT)
    response = token_client_for(user).post(detail(draft, "publish/"))
    assert response.status_code == 403 and response.json()["code"] == "enterprise_not_verified"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("expert", 404), ("secretariat", 403)])
def test_only_the_enterprise_publishes_through_rest(role, status, token_client_for, a_draft, expert_user, secretariat):
    user = {"anonymous": None, "expert": expert_user[0], "secretariat": secretariat}[role]
    assert token_client_for(user).post(detail(a_draft, "publish/")).status_code == status
    a_draft.refresh_from_db()
    assert a_draft.status == Status.DRAFT


@pytest.mark.parametrize("role", ["own_enterprise", "secretariat"])
def test_the_enterprise_or_the_secretariat_closes_through_rest(role, token_client_for, enterprise_user, secretariat):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    user = {"own_enterprise": enterprise_user[0], "secretariat": secretariat}[role]
    response = token_client_for(user).post(detail(challenge, "close/"), {"reason": "已自行解决"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("other_enterprise", 403), ("expert", 403)])
def test_others_may_not_close(role, status, token_client_for, enterprise_user, other_enterprise_user, expert_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    user = {"anonymous": None, "other_enterprise": other_enterprise_user[0], "expert": expert_user[0]}[role]
    assert token_client_for(user).post(detail(challenge, "close/")).status_code == status
    challenge.refresh_from_db()
    assert challenge.status == Status.OPEN


def test_closing_refuses_unknown_fields(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    response = token_client_for(enterprise_user[0]).post(detail(challenge, "close/"), {"status": "resolved"},
                                                         format="json")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    challenge.refresh_from_db()
    assert challenge.status == Status.OPEN


PUBLISH = 'mutation($id: ID!) { publishChallenge(id: $id) { challenge { id status publishedAt } } }'
CLOSE = 'mutation($id: ID!, $reason: String) { closeChallenge(id: $id, reason: $reason) { challenge { status } } }'


def test_publish_a_draft_then_publishing_again_conflicts(roles, a_challenges):
    draft = a_challenges["draft"]
    data = run(PUBLISH, {"id": gid("Challenge", draft)}, user=roles["A"]).ok()
    assert data["publishChallenge"]["challenge"]["status"] == "OPEN"
    assert data["publishChallenge"]["challenge"]["publishedAt"]
    again = run(PUBLISH, {"id": gid("Challenge", draft)}, user=roles["A"])
    assert again.code == "CONFLICT"
    assert again.errors[0]["extensions"]["reason"] == "illegal_transition"


def test_an_unverified_enterprise_cannot_publish(roles, a_challenges, enterprise_user):
    Enterprise.objects.filter(pk=enterprise_user[1].pk).update(verified=False)
    result = run(PUBLISH, {"id": gid("Challenge", a_challenges["draft"])}, user=roles["A"])
    assert result.code == "FORBIDDEN"
    assert result.errors[0]["extensions"]["reason"] == "enterprise_not_verified"
    assert Challenge.objects.get(pk=a_challenges["draft"].pk).status == "draft"


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("B", "NOT_FOUND"), ("expert", "NOT_FOUND"), ("secretariat", "FORBIDDEN"),
])
def test_only_the_enterprise_publishes_through_graphql(roles, a_challenges, role, code):
    result = run(PUBLISH, {"id": gid("Challenge", a_challenges["draft"])}, user=roles[role])
    assert result.code == code
    assert Challenge.objects.get(pk=a_challenges["draft"].pk).status == "draft"


@pytest.mark.parametrize("role", ["A", "secretariat"])
def test_the_enterprise_or_the_secretariat_closes_through_graphql(roles, a_challenges, role):
    data = run(CLOSE, {"id": gid("Challenge", a_challenges["open"]), "reason": "已自行解决"}, user=roles[role]).ok()
    assert data["closeChallenge"]["challenge"]["status"] == "CLOSED"
    assert AuditEntry.objects.filter(action="close", note="已自行解决").exists()


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", "open", "UNAUTHENTICATED"), ("B", "open", "FORBIDDEN"), ("expert", "open", "FORBIDDEN"),
    ("A", "paired", "CONFLICT"),
])
def test_close_refusals(roles, a_challenges, role, status, code):
    result = run(CLOSE, {"id": gid("Challenge", a_challenges[status])}, user=roles[role])
    assert result.code == code
    assert Challenge.objects.get(pk=a_challenges[status].pk).status == status
