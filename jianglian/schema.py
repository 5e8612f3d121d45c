"""The one GraphQL schema: one Query and one Mutation per app, each composed in `<app>/graphql/schema.py` of
the app's features (`<app>/graphql/<feature>.py`: that feature's types, filters, queries and mutations).

    from myapp.graphql.schema import MyAppMutation, MyAppQuery    # 1. import
    class Query(..., MyAppQuery, graphene.ObjectType)               # 2. add it before graphene.ObjectType

Errors: raise jianglian.errors (NotAllowed, Conflict, IllegalTransition, DomainError), Django's
ValidationError or ObjectDoesNotExist from services/resolvers; jianglian/graphql/errors.py turns them
into `extensions.code` (FORBIDDEN, CONFLICT, BAD_REQUEST, BAD_USER_INPUT + fields, NOT_FOUND).
Types subclass jianglian.graphql.types.VisibleObjectType (visible(), explicit fields, list resolvers
reading `root.rel.all()`); lists use jianglian.graphql.types.ConnectionField (capped, filtered).

`docs/schema.graphql` is the exported SDL; after changing the schema run
`python manage.py export_schemas` (with docs/openapi.json; tests/jianglian/test_graphql_security.py checks it).
"""
import graphene

from alliance.graphql.schema import AllianceMutation, AllianceQuery
from enterprises.graphql.schema import EnterprisesMutation, EnterprisesQuery
from experts.graphql.schema import ExpertsMutation, ExpertsQuery
from jianglian.graphql.notifications import NotificationMutations, NotificationQueries
from jianglian.graphql.reports import ReportsQuery
from jianglian.graphql.types import NodeQuery
from matching.graphql.schema import MatchingMutation, MatchingQuery
from search.graphql.schema import SearchQuery


class Query(NodeQuery, NotificationQueries, ExpertsQuery, AllianceQuery, EnterprisesQuery, MatchingQuery, SearchQuery,
            ReportsQuery, graphene.ObjectType):
    pass


class Mutation(NotificationMutations, ExpertsMutation, AllianceMutation, EnterprisesMutation, MatchingMutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
