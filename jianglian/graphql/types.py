"""Base classes every app's GraphQL types, queries and mutations build on.

- `Node`: the Relay node interface; `node(id:)` answers NOT_FOUND for ids the caller may not see.
- `VisibleObjectType`: a DjangoObjectType whose lists and node lookups go through `visible(info)` (the
  app's selector) and prefetch what the query selects (`optimizer.optimize`).
- `CountableConnection`: connections with `totalCount`.
- `ConnectionField`: a filtered connection whose `first`/`last` are capped at
  RELAY_CONNECTION_MAX_LIMIT (never refused, never more) and whose bad filters, malformed cursors
  and `offset` with `before` answer BAD_USER_INPUT.
- `get_visible(info, type_cls, global_id)`: the object behind a global id, if the caller may see it.
- `StorableInputMiddleware`: a NUL character or a lone UTF-16 surrogate in any text argument (top level,
  inside an input object or a list), or a datetime beyond years 1–9999, is BAD_USER_INPUT on that field
  before any resolver runs: PostgreSQL refuses NUL in text and jsonb, UTF-8 cannot encode a surrogate,
  such a datetime overflows on its way to or from the database; REST and the pages refuse them too.
  Installed for every GraphQL view by GRAPHENE["MIDDLEWARE"] in the settings.
"""
import datetime
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Manager
from django.utils.translation import gettext as _
import graphene
from graphene import relay
from graphene_django import DjangoObjectType
from graphene_django.filter import DjangoFilterConnectionField
from graphene_django.filter.fields import convert_enum
from graphene.utils.str_converters import to_snake_case
from graphql_relay import cursor_to_offset, offset_to_cursor

from jianglian.errors import NotAllowed
from jianglian.filters import datetime_out_of_range, db_integer

from .filters import graphql_filterset
from .optimizer import optimize


def not_found():
    return ObjectDoesNotExist(_("找不到该对象 / Not found."))


_UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")
NUL_MESSAGE = "不能包含空字符 / Null characters are not allowed."
SURROGATE_MESSAGE = "不能包含未配对的代理字符 / Unpaired surrogate characters are not allowed."
DATETIME_MESSAGE = "日期时间超出范围 / Datetime value out of range."


def unstorable_input(value, field: str, found: dict) -> dict:
    """Adds {field: [message]} to `found` for every value inside `value` (an argument, an input object, a list)
    that no database can store: text with a NUL or a lone surrogate, a datetime outside years 1–9999 in UTC or
    in the current time zone. A value inside an input object is reported on its own field name."""
    message = None
    if isinstance(value, str):
        bad = _UNSTORABLE_CHARACTER.search(value)
        if bad is not None:
            message = NUL_MESSAGE if bad.group() == "\x00" else SURROGATE_MESSAGE
    elif isinstance(value, datetime.datetime):
        message = DATETIME_MESSAGE if datetime_out_of_range(value) else None
    elif isinstance(value, dict):
        for key, item in value.items():
            unstorable_input(item, key, found)
    elif isinstance(value, list | tuple):
        for item in value:
            unstorable_input(item, field, found)
    if message is not None and message not in found.setdefault(field, []):
        found[field].append(message)
    return found


class StorableInputMiddleware:
    """Graphene middleware: arguments holding what no database can store (see `unstorable_input`) are
    BAD_USER_INPUT on their fields before the resolver runs. REST's serializers and the pages' forms refuse
    the same input. Fields without arguments cost one empty-dict test."""

    def resolve(self, next, root, info, **args):
        if args:
            found = {}
            for name, value in args.items():
                unstorable_input(value, name, found)
            if found:
                raise ValidationError(found)
        return next(root, info, **args)


class Node(relay.Node):
    class Meta:
        name = "Node"

    @classmethod
    def get_node_from_global_id(cls, info, global_id, only_type=None):
        try:
            type_name, _id = cls.resolve_global_id(info, global_id)
        except Exception:  # graphene raises a bare Exception for an unparsable id
            raise not_found() from None
        graphene_type = info.schema.get_type(type_name)
        graphene_type = getattr(graphene_type, "graphene_type", None)
        if graphene_type is None or cls not in graphene_type._meta.interfaces:
            raise not_found()
        if only_type and graphene_type is not only_type:
            raise not_found()
        return graphene_type.get_node(info, _id)


class CountableConnection(relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(required=True, description="Rows matching the filters (all pages).")

    def resolve_total_count(root, info):
        return root.length


class VisibleObjectType(DjangoObjectType):
    """A model's type whose rows are those the caller may see: override `visible(info)` with the app's selector
    (lists, node lookups and mutation inputs read through it); declare relation fields explicitly."""

    class Meta:
        abstract = True

    # graphql field name → model relation lookup, when they differ (see optimizer)
    prefetch: dict = {}
    # relations shown to whoever sees the parent, without the target type's visibility filter
    unscoped: frozenset = frozenset()

    @classmethod
    def visible(cls, info):
        """Every row of this type the caller may see (a fresh queryset)."""
        return cls._meta.model._default_manager.all()

    @classmethod
    def get_queryset(cls, queryset, info):
        # Connections without their own resolver and node lookups pass the bare manager: scope it.
        # A resolver that returns its own queryset must have scoped it already (through a selector).
        if isinstance(queryset, Manager) or queryset is None:
            queryset = cls.visible(info)
        return optimize(queryset, info, cls)

    @classmethod
    def get_node(cls, info, id):
        pk = db_integer(str(id))
        if pk is None:
            raise not_found()
        try:
            return cls.get_queryset(None, info).get(pk=pk)
        except cls._meta.model.DoesNotExist:
            raise not_found() from None


def pk_of(info, type_cls, global_id) -> int:
    """The pk a global id of `type_cls` names; NOT_FOUND for a malformed id, another type's id, or a pk no
    row can have ('Skill:abc', 'Skill:²', 'Skill:-1', 'Skill:9223372036854775808': SQLite cannot even compare
    the last one, and an `__in` lookup does not guard against it)."""
    try:
        type_name, pk = Node.resolve_global_id(info, global_id)
    except Exception:
        raise not_found() from None
    pk = db_integer(pk)
    if type_name != type_cls._meta.name or pk is None:
        raise not_found()
    return pk


def get_visible(info, type_cls, global_id):
    """The `type_cls` object with this global id if the caller may see it, else NOT_FOUND."""
    pk = pk_of(info, type_cls, global_id)
    try:
        return type_cls.visible(info).get(pk=pk)
    except type_cls._meta.model.DoesNotExist:
        raise not_found() from None


def get_visible_many(info, type_cls, global_ids):
    """Objects for a list of global ids (one query); NOT_FOUND if any is unknown or hidden."""
    pks = [pk_of(info, type_cls, global_id) for global_id in global_ids]
    found = list(type_cls.visible(info).filter(pk__in=pks))
    if len(found) != len(set(pks)):
        raise not_found()
    return found


def is_cursor(value) -> bool:
    """A cursor this API hands out: graphql-relay's offset cursor of an offset a list can have (0 to 10**18)."""
    if not isinstance(value, str):
        return False
    offset = cursor_to_offset(value)
    return offset is not None and 0 <= offset < 10**18 and offset_to_cursor(offset) == value


class ConnectionField(DjangoFilterConnectionField):
    """A filtered, capped connection. Pass `filterset_class=`: the list's one FilterSet, which REST's view uses too
    (read in GraphQL's spelling by jianglian.graphql.filters.graphql_filterset)."""

    def __init__(self, type_, *args, filterset_class=None, **kwargs):
        kwargs.setdefault("max_limit", settings.GRAPHENE.get("RELAY_CONNECTION_MAX_LIMIT", 100))
        if filterset_class is not None:
            kwargs["filterset_class"] = graphql_filterset(filterset_class)
        super().__init__(type_, *args, **kwargs)

    @classmethod
    def connection_resolver(cls, resolver, connection, default_manager, queryset_resolver, max_limit,
                            enforce_first_or_last, root, info, **args):
        for key in ("first", "last"):
            value = args.get(key)
            if value is None:
                continue
            if value < 0:
                raise ValidationError({key: [_("不能为负数 / Must not be negative.")]})
            args[key] = min(value, max_limit)
        offset = args.get("offset")
        if offset is not None and offset < 0:
            raise ValidationError({"offset": [_("不能为负数 / Must not be negative.")]})
        # graphene-django asserts (→ a server error) on `offset` with `before`, and graphql-relay turns a
        # malformed cursor into None (TypeError with `offset`) or a negative offset (negative slicing).
        if offset is not None and args.get("before") is not None:
            raise ValidationError({"offset": [_("不能与 before 同时使用 / Cannot be combined with `before`.")]})
        for key in ("after", "before"):
            if args.get(key) is not None and not is_cursor(args[key]):
                raise ValidationError({key: [_("无效的游标 / Invalid cursor.")]})
        return super().connection_resolver(
            resolver, connection, default_manager, queryset_resolver, max_limit, enforce_first_or_last,
            root, info, **args,
        )

    @classmethod
    def resolve_queryset(cls, connection, iterable, info, args, filtering_args, filterset_class):
        qs = connection._meta.node.get_queryset(iterable, info)
        data = {}
        for key, value in args.items():
            if key in filtering_args:
                data[key] = to_snake_case(value) if key == "order_by" and value is not None else convert_enum(value)
        filterset = filterset_class(data=data, queryset=qs, request=info.context)
        if not filterset.is_valid():
            raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
        return filterset.qs


def require_login(info):
    """The caller's user; UNAUTHENTICATED for anonymous callers."""
    user = info.context.user
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"), code="not_authenticated")
    return user


class NodeQuery(graphene.ObjectType):
    node = Node.Field(description="Any object by its global id (NOT_FOUND if the caller may not see it).")
