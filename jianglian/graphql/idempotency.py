"""GraphQL's retried creates: a mutation's `clientMutationId` is its idempotency key (jianglian.idempotency).

`once(info, client_mutation_id, operation, arguments, create)` calls `create()` the first time and returns
the object it made; a retry with the same id and arguments returns that object again (as it is now) and
creates nothing; the same id with other arguments is BAD_REQUEST, reason `idempotency_key_reused`.
Without an id, or for an anonymous caller, `create()` simply runs.
"""
import graphene

from jianglian.idempotency import Answer, replayed_object, run_once

CLIENT_MUTATION_ID = "幂等键：以同一值重试同一创建时返回首次创建的对象，不会重复创建 / Idempotency key: a retried " \
                     "create with the same value returns the object the first one created and creates nothing"


def client_mutation_id_argument():
    return graphene.String(description=CLIENT_MUTATION_ID)


def once(info, client_mutation_id, operation: str, arguments: dict, create):
    user = info.context.user
    if not client_mutation_id or not user.is_authenticated:
        return create()
    created = []

    def perform():
        obj = create()
        created.append(obj)
        return Answer(object_type=obj._meta.label_lower, object_id=obj.pk)

    answer, replayed = run_once(user=user, key=client_mutation_id, operation=operation, payload=arguments,
                                perform=perform, field="clientMutationId")
    return replayed_object(answer) if replayed else created[0]
