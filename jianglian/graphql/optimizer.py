"""Batching of related objects: the requested selection drives `prefetch_related`.

A list (a connection page or a nested list) costs one SQL query per relation level whatever its
length: when a connection or a node lookup builds its queryset, `optimize()` walks the GraphQL
selection under it and adds one `Prefetch` per selected relation, recursively, each with the
target type's visibility rules and its own nested prefetches. Resolvers of relation fields then
read the prefetch cache (`root.skills.all()`, `root.enterprise`) and never query.

Why not DataLoaders: graphene 3 dropped promise-based loaders and graphql-core only batches
awaitables in an async view (graphene-django #1263). Prefetching is plain Django, works in the
synchronous view, and keeps visibility in one place (each type's `visible()`).

Why not graphene-django-query-optimizer (tried, issue 10; version 0.10.16, the newest this registry offers, on
graphene-django 3.2.3 / graphene 3.4.3): VisibleObjectType became its DjangoObjectType with `filter_queryset`
= "rows of `visible(info)`", connections and node lookups optimized by its compiler, and the pinned
query-count specs run (SQLite):

| spec (rows)                                            | this module | the library |
|--------------------------------------------------------|-------------|-------------|
| studios + lead, members, skills (3 / 30)               | 8 / 8       | 7 / 7       |
| challenges + enterprise, skills (3 / 30)               | 7 / 7       | 6 / 6       |
| experts + skills, honours, studio (3 / 30)             | 10 / 10     | 9 / 9       |
| experts + outreachHistory (2 / 10)                     | 5 / 5       | 6 / 14      |
| events > participations > expert > history (2 / 10)    | 6 / 6       | 15 / 63     |
| challengeMatches, search, pairings (actions, refusals) | pinned      | unchanged: still this module |

It saves one query per to-one relation by joining it (select_related) instead of prefetching it, but:
- a field whose rows follow another rule than the model's registered type (`Expert.outreachHistory`: the
  public participations, not EventParticipationType's) is invisible to its compiler: one query per row,
  and its `ManuallyOptimizedField` cannot see the selection below it (the events' participations);
- `filter_queryset` is looked up by model in the registry and never runs on joined to-one relations: a
  to-one target with a visibility rule would be shown unfiltered;
- its `.only()` pass breaks selectors that `select_related` (skills, membership applications: "cannot be
  both deferred and traversed", an INTERNAL_SERVER_ERROR) and had to be switched off;
- it evaluates connections under `unittest.mock.patch` of a Django internal (its "prefetch hack"),
  process-wide, which is not safe in a threaded server;
- it cannot start below a plain ObjectType (search hits, ranked matches), so this module would stay anyway.
Kept: this module. The one gain it showed (join a to-one relation whose target has no visibility rule,
e.g. `unscoped`) can be added here if a list needs it.

What a type must do to take part (see `jianglian.graphql.types.VisibleObjectType`):
- declare relation fields explicitly with resolvers that read the cache:
  `skills = graphene.List(graphene.NonNull(SkillType), required=True)` +
  `def resolve_skills(root, info): return root.skills.all()`  (never `.filter()` there);
- a field whose name is not the model relation's name lists it in `prefetch = {"field": "lookup"}`;
- a relation that anyone who sees the parent may see lists it in `unscoped = {"field"}` (the
  challenge's enterprise); the others are filtered by the target type's `visible(info)`.
"""
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from graphene import relay
from graphene.types.definitions import GrapheneInterfaceType, GrapheneObjectType
from graphene.utils.str_converters import to_snake_case
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
)


def _named(gql_type):
    while isinstance(gql_type, (GraphQLNonNull, GraphQLList)):
        gql_type = gql_type.of_type
    return gql_type


def _graphene_type(gql_type):
    return getattr(_named(gql_type), "graphene_type", None)


def _type_matches(condition, type_cls, info) -> bool:
    if condition is None:
        return True
    name = condition.name.value
    if name == type_cls._meta.name:
        return True
    return any(getattr(i, "_meta", None) and i._meta.name == name for i in type_cls._meta.interfaces)


def collect_fields(selection_sets, type_cls, info, _seen_fragments=None) -> dict[str, list[FieldNode]]:
    """Field name → field nodes selected on `type_cls` in these selection sets (fragments expanded)."""
    seen = set() if _seen_fragments is None else _seen_fragments
    fields: dict[str, list[FieldNode]] = {}
    for selection_set in selection_sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields.setdefault(selection.name.value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if _type_matches(selection.type_condition, type_cls, info):
                    for name, nodes in collect_fields([selection.selection_set], type_cls, info, seen).items():
                        fields.setdefault(name, []).extend(nodes)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = info.fragments.get(name)
                if fragment is None or name in seen or not _type_matches(fragment.type_condition, type_cls, info):
                    continue
                for fname, nodes in collect_fields([fragment.selection_set], type_cls, info, seen | {name}).items():
                    fields.setdefault(fname, []).extend(nodes)
    return fields


def _sub_selections(nodes):
    return [node.selection_set for node in nodes if node.selection_set is not None]


def _object_selections(info, type_cls):
    """The selection sets that apply to `type_cls` objects under the current field, or None."""
    returned = _graphene_type(info.return_type)
    selections = _sub_selections(info.field_nodes)
    if returned is None:
        return None
    if isinstance(returned, type) and issubclass(returned, relay.Connection):
        # connection → edges → node
        edges = collect_fields(selections, returned, info).get("edges", [])
        edge_type = returned.Edge
        nodes = collect_fields(_sub_selections(edges), edge_type, info).get("node", [])
        return _sub_selections(nodes)
    named = _named(info.return_type)
    if isinstance(named, GrapheneObjectType) and returned is type_cls:
        return selections
    if isinstance(named, GrapheneInterfaceType):  # node(id:) and other interface fields
        return selections
    return None


def _target_type(field):
    """The VisibleObjectType a graphene field returns (through NonNull/List), or None."""
    from .types import VisibleObjectType

    field_type = field.type
    for _ in range(4):
        field_type = getattr(field_type, "of_type", field_type)
    if callable(field_type) and not isinstance(field_type, type):
        field_type = field_type()
        for _ in range(4):
            field_type = getattr(field_type, "of_type", field_type)
    if isinstance(field_type, type) and issubclass(field_type, VisibleObjectType):
        return field_type
    return None


def prefetches_for(type_cls, selection_sets, info) -> list[Prefetch]:
    model = type_cls._meta.model
    declared = getattr(type_cls, "prefetch", {}) or {}
    result = []
    for gql_name, nodes in collect_fields(selection_sets, type_cls, info).items():
        name = to_snake_case(gql_name)
        field = type_cls._meta.fields.get(name)
        if field is None:
            continue
        lookup = declared.get(name, name)
        try:
            model_field = model._meta.get_field(lookup)
        except FieldDoesNotExist:
            continue
        if not model_field.is_relation:
            continue
        target = _target_type(field)
        nested = []
        if target is not None:
            if name in getattr(type_cls, "unscoped", ()):
                queryset = target._meta.model._default_manager.all()
            else:
                queryset = target.visible(info)
            nested = prefetches_for(target, _sub_selections(nodes), info)
        else:
            queryset = model_field.related_model._default_manager.all()
        if nested and not _points_at_one(model_field):
            queryset = queryset.prefetch_related(*nested)
            nested = []
        result.append(Prefetch(lookup, queryset=queryset))
        # A to-one relation the parent queryset may already join (select_related): Django then skips its
        # Prefetch, and whatever is nested in that Prefetch's queryset with it. Lookups through the
        # relation ("event__participations") are followed whether the object was joined or prefetched.
        for prefetch in nested:
            prefetch.add_prefix(lookup)
            result.append(prefetch)
    return result


def _points_at_one(model_field) -> bool:
    return bool(model_field.many_to_one or (model_field.one_to_one and not model_field.auto_created))


def optimize(queryset, info, type_cls):
    """`queryset` with the prefetches the current field's selection needs for `type_cls` objects."""
    selections = _object_selections(info, type_cls)
    if not selections:
        return queryset
    prefetches = prefetches_for(type_cls, selections, info)
    return queryset.prefetch_related(*prefetches) if prefetches else queryset
