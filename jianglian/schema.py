"""The one GraphQL schema. Each app contributes a Query and a Mutation mixin: add yours to the lists.

    from myapp.graphql.queries import MyAppQuery          # 1. import
    class Query(..., MyAppQuery, graphene.ObjectType)     # 2. add it before graphene.ObjectType

Errors: raise jianglian.errors (NotAllowed, Conflict, IllegalTransition, DomainError), Django's
ValidationError or ObjectDoesNotExist from services/resolvers; jianglian/graphql/errors.py turns them
into `extensions.code` (FORBIDDEN, CONFLICT, BAD_REQUEST, BAD_USER_INPUT + fields, NOT_FOUND).
Types subclass jianglian.graphql.types.JLObjectType (visible(), explicit fields, list resolvers
reading `root.rel.all()`); lists use jianglian.graphql.types.ConnectionField (capped, filtered).

`docs/schema.graphql` is the exported SDL; after changing the schema run
`python manage.py graphql_schema --out docs/schema.graphql` (tests/jianglian/test_graphql_security.py checks it).
"""
import graphene

from alliance.graphql.mutations import AllianceMutation
from alliance.graphql.queries import AllianceQuery
from enterprises.graphql.mutations import EnterprisesMutation
from enterprises.graphql.queries import EnterprisesQuery
from experts.graphql.mutations import ExpertsMutation
from experts.graphql.queries import ExpertsQuery
from jianglian.graphql.types import NodeQuery
from matching.graphql.mutations import MatchingMutation
from matching.graphql.queries import MatchingQuery
from matching.graphql.pairings import PairingMutation, PairingQuery  # workflows
from alliance.graphql.workflows import WorkflowsMutation, WorkflowsQuery  # workflows
from search.graphql.queries import SearchQuery


class Query(
    NodeQuery,
    ExpertsQuery,
    AllianceQuery,
    EnterprisesQuery,
    MatchingQuery,
    PairingQuery,
    WorkflowsQuery,
    SearchQuery,
    graphene.ObjectType,
):
    pass


class Mutation(
    ExpertsMutation,
    AllianceMutation,
    EnterprisesMutation,
    MatchingMutation,
    PairingMutation,
    WorkflowsMutation,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
