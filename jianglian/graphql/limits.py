"""Validation rules that bound what one document may ask for, before anything executes.

`QueryLimitsRule` walks every operation with its fragments expanded (each fragment measured once,
so fragment "bombs" cost nothing to measure) and refuses:
- a selection deeper than GRAPHQL_MAX_DEPTH (introspection fields do not count),
- more than GRAPHQL_MAX_ALIASES aliases,
- a cost over the caller's budget (GRAPHQL_MAX_COST signed in, GRAPHQL_MAX_COST_ANONYMOUS anonymous):
  code COST_LIMIT_EXCEEDED, with `extensions.cost` {requested, maximum}.
Document size is bounded at parse time (GRAPHQL_MAX_TOKENS, see the view); the answer's size after
execution (GRAPHQL_MAX_RESPONSE_BYTES, see the view).

The cost is an upper bound of the fields the resolvers would be asked for: each field costs 1, plus its
selection's cost times the number of objects it can return —
- a paged field (it takes `first`/`last`: connections, `search`, `challengeMatches`, `Challenge.matches`):
  the page size asked for (a literal or the request's variable), else the argument's default, else the page
  cap (RELAY_CONNECTION_MAX_LIMIT); never more than the cap, which the resolvers enforce too. A list answers
  that many items; a connection holds them in its `edges` (its totalCount, pageInfo, facets count once);
- any other list of objects (`Studio.members`, `Expert.skills` …): GRAPHQL_LIST_SIZES[`Type.field`], else
  GRAPHQL_DEFAULT_LIST_SIZE — an estimate of the longest such list, since those lists have no page;
- a scalar, a list of scalars, a single object: 1.
Introspection (`__schema`, `__type`; only the secretariat may) costs nothing, as it has no depth.

Why not a library's rule: ariadne's `cost_validator` (the maintained Python one, a graphql-core rule too)
measures a fragment spread without its parent's multipliers (`studios(first: 100) { edges { node { ...F } } }`
costs F once), knows no page cap when `first` is left out, and walks each spread again (a fragment bomb
is exponential to measure); it would also bring in ariadne and starlette. The rule below keeps graphql-core's
ValidationRule interface, so the view passes it to `graphql.validate` with the standard rules.
"""
from dataclasses import dataclass

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
)

COST_LIMIT_EXCEEDED = "COST_LIMIT_EXCEEDED"
PAGE_ARGUMENTS = ("first", "last")


def max_depth():
    return getattr(settings, "GRAPHQL_MAX_DEPTH", 10)


def max_aliases():
    return getattr(settings, "GRAPHQL_MAX_ALIASES", 30)


def max_tokens():
    return getattr(settings, "GRAPHQL_MAX_TOKENS", 5000)


def max_cost(user=None):
    """The caller's budget: anonymous callers get the lower one."""
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(settings, "GRAPHQL_MAX_COST", 50_000)
    return getattr(settings, "GRAPHQL_MAX_COST_ANONYMOUS", 20_000)


def max_response_bytes():
    return getattr(settings, "GRAPHQL_MAX_RESPONSE_BYTES", 5_000_000)


def page_cap():
    return settings.GRAPHENE.get("RELAY_CONNECTION_MAX_LIMIT", 100)


def list_size(type_name, field_name):
    sizes = getattr(settings, "GRAPHQL_LIST_SIZES", {})
    return sizes.get(f"{type_name}.{field_name}", getattr(settings, "GRAPHQL_DEFAULT_LIST_SIZE", 20))


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


class QueryLimitsRule(ValidationRule):
    """Depth, aliases and cost of every operation. `budget` and `variables` are set per request by
    `limits_rule(...)`; the class itself measures with the signed-in budget and no variables."""

    budget: int | None = None
    variables: dict | None = None

    def __init__(self, context):
        super().__init__(context)
        document = context.document
        self._schema = context.schema
        self._fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self._memo: dict[tuple[str, int], Measure] = {}
        self._cap = page_cap()
        self._variables = self.variables or {}
        self._budget = self.budget if self.budget is not None else max_cost(None)
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                self._check(definition)

    def _check(self, operation):
        name = operation.name.value if operation.name else "anonymous"
        self._operation = operation
        m = self.measure(operation)
        if m.depth > max_depth():
            self.report_error(GraphQLError(
                f"'{name}' exceeds maximum operation depth of {max_depth()}.", operation,
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "reason": "max_depth"}))
        if m.aliases > max_aliases():
            self.report_error(GraphQLError(
                f"'{name}' uses {m.aliases} aliases; at most {max_aliases()} are allowed.", operation,
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "reason": "max_aliases"}))
        if m.cost > self._budget:
            self.report_error(GraphQLError(
                f"'{name}' would cost {m.cost} (each field 1, times the page or list sizes it sits in); "
                f"at most {self._budget} is allowed. Ask for smaller pages (first) or fewer nested lists.",
                operation,
                extensions={"code": COST_LIMIT_EXCEEDED, "reason": "max_cost",
                            "cost": {"requested": m.cost, "maximum": self._budget}}))

    def measure(self, operation) -> Measure:
        self._operation = operation
        root = self._schema.get_root_type(operation.operation)
        return self._measure(operation.selection_set, root, frozenset())

    # --- the walk ---------------------------------------------------------------------------------------

    def _measure(self, selection_set, parent_type, path: frozenset, page: int = 1) -> Measure:
        """`page`: the page size of the connection whose selection this is (its `edges` are that page)."""
        total = Measure()
        if selection_set is None:
            return total
        fields = getattr(parent_type, "fields", None) or {}
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                field = fields.get(name)
                field_type = get_named_type(field.type) if field is not None else None
                multiplier, child_page = self._multiplier(parent_type, name, field, selection, page)
                sub = self._measure(selection.selection_set, field_type, path, child_page)
                total.cost += 1 + multiplier * sub.cost
                total.aliases += (1 if selection.alias else 0) + sub.aliases
                total.depth = max(total.depth, 1 + sub.depth)
            else:
                if isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    typ = self._schema.get_type(condition.name.value) if condition else parent_type
                    sub = self._measure(selection.selection_set, typ, path, page)
                elif isinstance(selection, FragmentSpreadNode):
                    sub = self._fragment(selection.name.value, path, page)
                else:  # pragma: no cover
                    continue
                total.cost += sub.cost
                total.aliases += sub.aliases
                total.depth = max(total.depth, sub.depth)
        return total

    def _fragment(self, name, path, page) -> Measure:
        if name in path or name not in self._fragments:  # cycles are NoFragmentCyclesRule's to report
            return Measure()
        if (name, page) not in self._memo:
            fragment = self._fragments[name]
            typ = self._schema.get_type(fragment.type_condition.name.value)
            self._memo[name, page] = self._measure(fragment.selection_set, typ, path | {name}, page)
        return self._memo[name, page]

    def _multiplier(self, parent_type, name, field, node, page) -> tuple[int, int]:
        """(how many times the field's selection is resolved, the page its `edges` hold if it is a connection)."""
        if field is None:
            return 1, 1
        nullable = get_nullable_type(field.type)
        is_object_list = isinstance(nullable, GraphQLList) and is_composite_type(get_named_type(nullable))
        if any(arg in field.args for arg in PAGE_ARGUMENTS):
            size = self._page_size(field, node)
            # a list answers `size` items; a connection holds them in its `edges` (totalCount, pageInfo and
            # facets are answered once)
            return (size, 1) if is_object_list else (1, size)
        if is_object_list:
            if name == "edges" and parent_type.name.endswith("Connection"):
                return page, 1
            return list_size(parent_type.name, name), 1
        return 1, 1

    def _page_size(self, field, node) -> int:
        given = {arg.name.value: arg.value for arg in node.arguments or ()}
        sizes = []
        for arg in PAGE_ARGUMENTS:
            if arg not in field.args:
                continue
            value = self._int_value(given.get(arg))
            if value is None:  # not given (or a variable without a value): the argument's default applies
                default = field.args[arg].default_value
                value = default if isinstance(default, int) and not isinstance(default, bool) else None
            if value is not None:
                sizes.append(value)
        if not sizes:
            return self._cap
        return max(0, min(max(sizes), self._cap))

    def _int_value(self, node):
        """The page size a literal or a variable gives, None when neither gives one."""
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self._variables:
                value = self._variables[name]
                if value is None:
                    return None
                return value if isinstance(value, int) and not isinstance(value, bool) else self._cap
            for definition in getattr(self._operation, "variable_definitions", None) or ():
                if definition.variable.name.value == name and isinstance(definition.default_value, IntValueNode):
                    return int(definition.default_value.value)
        return None


def limits_rule(*, user=None, variables=None):
    """`QueryLimitsRule` with the caller's budget and the request's variables (graphql.validate takes rule
    classes, not instances)."""
    return type("QueryLimitsRule", (QueryLimitsRule,), {
        "budget": max_cost(user), "variables": variables if isinstance(variables, dict) else None,
    })


def query_cost(schema, document, *, variables=None) -> int:
    """The cost of a parsed document as the rule counts it (its most costly operation)."""
    context = ValidationContext(schema, document, TypeInfo(schema), lambda error: None)
    rule = limits_rule(variables=variables)(context)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return max((rule.measure(operation).cost for operation in operations), default=0)
