"""Approved studios are published in numbered batches (首批, 第二批 …) by the secretariat and read by anyone
(alliance.services / selectors, REST /api/v1/membership-batches/, GraphQL `membershipBatches`,
`publishMembershipBatch`).
"""
import pytest
from django.core.exceptions import ValidationError

from alliance import selectors, services
from alliance.models import MembershipApplication
from jianglian.models import AuditEntry
from alliance.services import ReviewDecision
from jianglian.errors import IllegalTransition, NotAllowed
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db


def test_batches_are_numbered_in_order_and_list_their_studios(secretariat):
    first = [factories.make_reviewed_application(secretariat) for _ in range(2)]
    batch1 = services.membership_batch_publish(user=secretariat, name="首批成员名单", application_ids=[a.pk for a in first])
    second = factories.make_reviewed_application(secretariat)
    batch2 = services.membership_batch_publish(user=secretariat, name="第二批成员名单", application_ids=[second.pk])
    assert (batch1.number, batch2.number) == (1, 2)
    assert batch1.published_by == secretariat
    assert {s.pk for s in batch1.studios.all()} == {a.studio_id for a in first}
    assert MembershipApplication.objects.get(pk=second.pk).batch == batch2
    assert AuditEntry.objects.filter(subject_type="alliance.membershipbatch", subject_id=batch1.pk,
                                     action="publish", to_state="published").exists()
    assert AuditEntry.objects.filter(subject_type="alliance.membershipapplication", action="publish").count() == 3


def test_batches_are_public_in_one_query_per_relation(secretariat, django_assert_num_queries):
    services.membership_batch_publish(user=secretariat, name="首批",
                                      application_ids=[factories.make_reviewed_application(secretariat).pk for _ in range(3)])
    with django_assert_num_queries(2):
        batches = list(selectors.membership_batch_list())
        assert [len(b.studios.all()) for b in batches] == [3]


@pytest.mark.parametrize("state", ["pending", "rejected", "published"])
def test_only_approved_unpublished_applications_are_published(secretariat, state):
    if state == "pending":
        lead_user, lead = factories.make_expert_user()
        application = services.membership_apply(user=lead_user, studio=factories.make_studio(lead=lead), statement="x")
    elif state == "rejected":
        application = factories.make_reviewed_application(secretariat, decision=ReviewDecision.REJECT)
    else:
        application = factories.make_reviewed_application(secretariat)
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk])
    with pytest.raises(IllegalTransition):
        services.membership_batch_publish(user=secretariat, name="第二批", application_ids=[application.pk])


def test_a_batch_needs_a_name_and_existing_applications(secretariat):
    application = factories.make_reviewed_application(secretariat)
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name=" ", application_ids=[application.pk])
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk, 99999])
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[])


def test_only_the_secretariat_publishes(secretariat):
    application = factories.make_reviewed_application(secretariat)
    for user in (factories.make_user(), application.studio.lead.user, factories.make_enterprise_user()[0]):
        with pytest.raises(NotAllowed):
            services.membership_batch_publish(user=user, name="首批", application_ids=[application.pk])


def test_batches_are_published_by_the_secretariat_and_read_by_anyone(secretariat, token_client_for):
    applications = [factories.make_reviewed_application(secretariat) for _ in range(2)]
    body = {"name": "首批成员名单", "application_ids": [a.pk for a in applications]}
    assert token_client_for(None).post("/api/v1/membership-batches/", body, format="json").status_code == 401
    lead = applications[0].studio.lead.user
    assert token_client_for(lead).post("/api/v1/membership-batches/", body, format="json").status_code == 403
    response = token_client_for(secretariat).post("/api/v1/membership-batches/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["number"], len(response.json()["studios"])) == (1, 2)
    again = token_client_for(secretariat).post("/api/v1/membership-batches/", body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_published")
    public = token_client_for(None).get("/api/v1/membership-batches/").json()["results"]
    assert [b["name"] for b in public] == ["首批成员名单"]


PUBLISH = """mutation($name: String!, $ids: [ID!]!) { publishMembershipBatch(name: $name, applicationIds: $ids) {
  batch { number name studios { id name } } } }"""


def test_graphql_publish_is_the_secretariats(secretariat):
    application = factories.make_reviewed_application(secretariat)
    variables = {"name": "首批成员名单", "ids": [gid("MembershipApplication", application)]}
    # the declared role is checked before the ids are looked up, as REST's 403
    assert run(PUBLISH, variables, user=factories.make_user()).code == "FORBIDDEN"
    assert run(PUBLISH, variables, user=application.studio.lead.user).code == "FORBIDDEN"
    batch = run(PUBLISH, variables, user=secretariat).ok()["publishMembershipBatch"]["batch"]
    assert (batch["number"], [s["name"] for s in batch["studios"]]) == (1, [application.studio.name])
    public = run("{ membershipBatches { totalCount edges { node { name studios { name } } } } }").ok()
    assert public["membershipBatches"]["totalCount"] == 1
