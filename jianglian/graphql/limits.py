"""Validation rules that bound what one document may ask for, before anything executes.

`QueryLimitsRule` walks every operation with its fragments expanded (each fragment measured once,
so fragment "bombs" cost nothing to measure) and refuses:
- a selection deeper than GRAPHQL_MAX_DEPTH (introspection fields do not count),
- more than GRAPHQL_MAX_ALIASES aliases,
- more than GRAPHQL_MAX_FIELDS field selections (the cost: what the resolvers would be asked to do).
Document size is bounded at parse time (GRAPHQL_MAX_TOKENS, see the view).
"""
from dataclasses import dataclass

from django.conf import settings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)


def max_depth():
    return getattr(settings, "GRAPHQL_MAX_DEPTH", 10)


def max_aliases():
    return getattr(settings, "GRAPHQL_MAX_ALIASES", 30)


def max_fields():
    return getattr(settings, "GRAPHQL_MAX_FIELDS", 1000)


def max_tokens():
    return getattr(settings, "GRAPHQL_MAX_TOKENS", 5000)


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    fields: int = 0


class QueryLimitsRule(ValidationRule):
    def __init__(self, context):
        super().__init__(context)
        document = context.document
        self._fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self._memo: dict[str, Measure] = {}
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                self._check(definition)

    def _check(self, operation):
        name = operation.name.value if operation.name else "anonymous"
        m = self._measure(operation.selection_set, frozenset())
        if m.depth > max_depth():
            self.report_error(GraphQLError(
                f"'{name}' exceeds maximum operation depth of {max_depth()}.", operation,
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "reason": "max_depth"}))
        if m.aliases > max_aliases():
            self.report_error(GraphQLError(
                f"'{name}' uses {m.aliases} aliases; at most {max_aliases()} are allowed.", operation,
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "reason": "max_aliases"}))
        if m.fields > max_fields():
            self.report_error(GraphQLError(
                f"'{name}' selects {m.fields} fields; at most {max_fields()} are allowed.", operation,
                extensions={"code": "GRAPHQL_VALIDATION_FAILED", "reason": "max_cost"}))

    def _measure(self, selection_set, path: frozenset) -> Measure:
        total = Measure()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                sub = self._measure(selection.selection_set, path)
                total.fields += 1 + sub.fields
                total.aliases += (1 if selection.alias else 0) + sub.aliases
                total.depth = max(total.depth, 1 + sub.depth)
            else:
                if isinstance(selection, InlineFragmentNode):
                    sub = self._measure(selection.selection_set, path)
                elif isinstance(selection, FragmentSpreadNode):
                    sub = self._fragment(selection.name.value, path)
                else:  # pragma: no cover
                    continue
                total.fields += sub.fields
                total.aliases += sub.aliases
                total.depth = max(total.depth, sub.depth)
            # stop early once any limit is exceeded: the answer is already "refused"
            if total.fields > max_fields() * 10 or total.aliases > max_aliases() * 10:
                break
        return total

    def _fragment(self, name, path) -> Measure:
        if name in path or name not in self._fragments:  # cycles are NoFragmentCyclesRule's to report
            return Measure()
        if name not in self._memo:
            self._memo[name] = self._measure(self._fragments[name].selection_set, path | {name})
        return self._memo[name]
