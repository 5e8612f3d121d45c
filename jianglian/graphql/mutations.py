"""The one base of every GraphQL mutation: what a mutation does is declared in its `Meta`, as Saleor's mutations declare
`permissions`; `ServiceMutation.mutate` runs the same steps for all of them:

1. login: an anonymous caller is UNAUTHENTICATED (unless `Meta.permissions` is `(Role.ANYONE,)`);
2. the role declared in `Meta.permissions` (`Role.SECRETARIAT` …), checked before anything is loaded, as REST's
   `permission_classes` (the per-object rule stays in the service, which raises NotAllowed → FORBIDDEN);
3. the `input` argument's fields become the service's keyword arguments (enum members become their values); an
   optional text argument sent as null is empty text, as when it is left out (a note, a reason, a message: the
   services take "" for none);
4. every reference declared in `Meta.load` is loaded through its type's `visible(info)` — the app's selector, the one
   REST's reference fields read too — so an object the caller may not see is NOT_FOUND in GraphQL and 404 in REST;
5. `Meta.service(user=…, **arguments)` — or the mutation's own `perform` when it has to translate more;
6. the payload: the service's result in the mutation's one output field.

A create declares `Meta.idempotent = True` and a `clientMutationId` argument (client_mutation_id_argument(), among its
arguments or in its input): the id is its idempotency key (jianglian.graphql.idempotency.once), so a retried create
with the same id and arguments answers the object the first one created and creates nothing; its payload echoes the
id (`clientMutationId`), as Relay's mutations do.

    class PublishChallenge(ServiceMutation):
        class Meta:
            name = "PublishChallengePayload"
            service = services.challenge_publish
            load = {"id": Load(ChallengeType, to="challenge")}

        class Arguments:
            id = graphene.ID(required=True)

        challenge = graphene.Field(ChallengeType, required=True)
"""
import enum
from collections.abc import Callable

import graphene
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from graphene.types.argument import to_arguments
from graphene.types.mutation import MutationOptions

from jianglian.errors import NotAllowed
from jianglian.roles import SECRETARIAT_ONLY, is_secretariat

from .idempotency import CLIENT_MUTATION_ID, once
from .types import get_visible, get_visible_many, require_login


class Role(enum.Enum):
    """Who may call a mutation at all (the coarse answer; the service decides per object)."""

    SIGNED_IN = "signed_in"
    SECRETARIAT = "secretariat"
    # Anyone, signed in or not (a school's request for an event): the service gets the anonymous user.
    ANYONE = "anyone"


def check_roles(user, roles) -> None:
    """NotAllowed (FORBIDDEN) unless `user` holds every role in `roles`."""
    if Role.SECRETARIAT in roles and not is_secretariat(user):
        raise NotAllowed(SECRETARIAT_ONLY)


class Load:
    """An argument naming rows of `type_` by global id (`many`: a list of them), loaded through `type_.visible(info)`
    (NOT_FOUND when the caller may not see one) and passed to the service as `to` (default: the argument's name).
    `type_` may be a dotted path, for types that import this module's users."""

    def __init__(self, type_, *, to: str | None = None, many: bool = False):
        self._type = type_
        self.to = to
        self.many = many

    @property
    def type(self):
        if isinstance(self._type, str):
            self._type = import_string(self._type)
        return self._type

    def __call__(self, info, value):
        if self.many:
            return get_visible_many(info, self.type, value)
        return get_visible(info, self.type, value)


def plain(value):
    """An argument as the services take it: enum members as their values, input objects as dicts of plain values."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def given(fields: dict) -> dict:
    """The fields of an input that carry a value: an explicit null means "not given" (a create: the model's default;
    the preferences: unchanged)."""
    return {name: value for name, value in fields.items() if value is not None}


def optional_text_arguments(arguments) -> frozenset:
    """The names of the top-level arguments that are optional text (`graphene.String()`, not the clientMutationId)."""
    return frozenset(name for name, argument in to_arguments(arguments or {}).items()
                     if argument.type is graphene.String and name != "client_mutation_id")


class ServiceMutationOptions(MutationOptions):
    permissions = (Role.SIGNED_IN,)
    service: Callable | None = None
    load: dict = {}
    flatten: tuple = ("input",)
    idempotent: bool = False


class ServiceMutation(graphene.Mutation):
    """Meta: `permissions` (roles, default signed in), `service`, `load` ({argument: Load or a loader(info, value)}),
    `flatten` (input-object arguments whose fields become the service's arguments, default ("input",))."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, permissions=(Role.SIGNED_IN,), service=None, load=None, flatten=("input",),
                                    idempotent=False, _meta=None, **options):
        _meta = _meta or ServiceMutationOptions(cls)
        _meta.idempotent = idempotent
        _meta.permissions = tuple(permissions)
        _meta.service = service
        _meta.load = dict(load or {})
        _meta.flatten = tuple(flatten)
        super().__init_subclass_with_meta__(_meta=_meta, **options)
        outputs = list(_meta.fields)
        if len(outputs) != 1:
            raise ImproperlyConfigured(f"{cls.__name__}: a ServiceMutation's payload has one field, not {outputs}")
        cls.return_field = outputs[0]  # the options are frozen by now
        cls.text_arguments = optional_text_arguments(_meta.arguments)
        if idempotent:  # Relay's convention: the payload echoes the id the client sent
            _meta.fields["client_mutation_id"] = graphene.Field(graphene.String, description=CLIENT_MUTATION_ID)
        if service is None and cls.perform.__func__ is ServiceMutation.perform.__func__:
            raise ImproperlyConfigured(f"{cls.__name__}: declare Meta.service or override perform")

    @classmethod
    def mutate(cls, root, info, **arguments):
        user = info.context.user if Role.ANYONE in cls._meta.permissions else require_login(info)
        check_roles(user, cls._meta.permissions)
        data = {}
        for name, value in arguments.items():
            if value is None and name in cls.text_arguments:
                value = ""
            if name in cls._meta.flatten and isinstance(value, dict):
                data.update(plain(value))
            else:
                data[name] = plain(value)
        client_mutation_id = data.pop("client_mutation_id", None)
        requested = dict(data)  # what the client sent (global ids, plain values): the idempotency fingerprint
        for name, loader in cls._meta.load.items():
            if name not in data:
                continue
            value = data.pop(name)
            target = getattr(loader, "to", None) or name
            data[target] = None if value is None else loader(info, value)
        if not cls._meta.idempotent:
            return cls(**{cls.return_field: cls.perform(info, user, **data)})
        result = once(info, client_mutation_id, cls._meta.name, requested, lambda: cls.perform(info, user, **data))
        return cls(**{cls.return_field: result, "client_mutation_id": client_mutation_id})

    @classmethod
    def perform(cls, info, user, **data):
        """Call the service; override to translate more (several services, computed arguments)."""
        return cls._meta.service(user=user, **data)
