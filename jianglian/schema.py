"""The one GraphQL schema. Each app contributes a Query and a Mutation mixin: add yours to the lists.

    from myapp.graphql.queries import MyAppQuery          # 1. import
    class Query(..., MyAppQuery, graphene.ObjectType)     # 2. add it before graphene.ObjectType

`docs/schema.graphql` is the exported SDL (`python manage.py graphql_schema`); a test checks it.
"""
import graphene

from alliance.graphql.mutations import AllianceMutation
from alliance.graphql.queries import AllianceQuery
from enterprises.graphql.mutations import EnterprisesMutation
from enterprises.graphql.queries import EnterprisesQuery
from experts.graphql.mutations import ExpertsMutation
from experts.graphql.queries import ExpertsQuery
from jianglian.graphql.types import NodeQuery


class Query(
    NodeQuery,
    ExpertsQuery,
    AllianceQuery,
    EnterprisesQuery,
    graphene.ObjectType,
):
    pass


class Mutation(
    ExpertsMutation,
    AllianceMutation,
    EnterprisesMutation,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
