"""The GraphQL endpoints.

- `/graphql/`      `ConsoleGraphQLView`: GraphiQL for people signed in with a session. CSRF stays on
                   (a plain HTML form must not run the secretariat's mutations).
- `/graphql/api/`  `TokenGraphQLView`: API clients with `Authorization: Token <key>` (DRF tokens).
                   CSRF-exempt because it ignores session cookies entirely: without a valid token
                   the caller is anonymous.

Both: standard validation rules + depth/alias/cost limits (limits.py; a lower cost budget for anonymous
callers) and a response size cap; the document is parsed with a token
bound; no batching; `__schema`/`__type` only for the secretariat (`__typename` always works);
"Did you mean …" only for staff; every error has `extensions.code` (see errors.py). A `query` that is
not a string, `variables` that are not an object, a non-UTF-8 or over-nested body: 400 BAD_REQUEST,
never a server error. A value the schema cannot represent is a server error (execution.py).
"""
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from jianglian.api.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from jianglian.roles import is_secretariat

from . import errors
from .execution import JianglianExecutionContext
from .limits import limits_rule, max_response_bytes, max_tokens

MAX_SOURCE_LENGTH = 100_000
MAX_VALIDATION_ERRORS = 20
RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"


def bad_request(message):
    """Refused before parsing: a 400 whose body is `{"errors": [{message, extensions.code: BAD_REQUEST}]}`."""
    return HttpError(HttpResponseBadRequest(message))


def validation_rules_for(user, variables=None):
    """The standard rules, the limits with the caller's cost budget (lower when anonymous); the secretariat
    may introspect (its GraphiQL console needs it), nobody else."""
    rules = (*specified_rules, limits_rule(user=user, variables=variables))
    return rules if is_secretariat(user) else (*rules, NoSchemaIntrospectionCustomRule)


class JianglianGraphQLView(GraphQLView):
    graphiql = False
    batch = False

    def _user(self):
        return getattr(self.request, "user", None) or AnonymousUser()

    def format_error(self, error):
        user = self._user()
        staff = bool(getattr(user, "is_staff", False)) or is_secretariat(user)
        return errors.format_error(error, user=user, suggestions=staff)

    def parse_body(self, request):
        """graphene-django's, but a body that is not UTF-8 (application/graphql) or JSON nested past
        Python's recursion limit is a 400, not a server error."""
        try:
            if self.get_content_type(request) == "application/graphql":
                return {"query": request.body.decode("utf-8")}
            return super().parse_body(request)
        except UnicodeDecodeError:
            raise bad_request("The request body is not valid UTF-8.") from None
        except RecursionError:
            raise bad_request("POST body sent invalid JSON: nested too deeply.") from None

    def get_graphql_params(self, request, data):
        """graphene-django's, plus the types of the GraphQL-over-HTTP parameters: a JSON `query` that
        is not a string or `variables` that are not an object would otherwise fail inside execution."""
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise bad_request("`query` must be a string.")
        if variables == "":
            variables = None
        if variables is not None and not isinstance(variables, dict):
            raise bad_request("`variables` must be a JSON object.")
        if operation_name is not None and not isinstance(operation_name, str):
            raise bad_request("`operationName` must be a string.")
        return query, variables, operation_name, id_

    def get_response(self, request, data, show_graphiql=False):
        """graphene-django's, then the size cap: an answer longer than GRAPHQL_MAX_RESPONSE_BYTES is replaced
        by one error (the cost rule keeps such answers rare; long texts can still add up)."""
        result, status_code = super().get_response(request, data, show_graphiql)
        limit = max_response_bytes()
        if result is not None and len(result) > limit:
            error = {"message": f"The answer would be {len(result)} bytes; at most {limit} are sent. "
                                "Ask for fewer fields or smaller pages (a mutation that ran stays done).",
                     "extensions": {"code": RESPONSE_TOO_LARGE, "reason": "max_response_size",
                                    "size": len(result), "maximum": limit}}
            result = self.json_encode(request, {"errors": [error], "data": None}, pretty=show_graphiql)
        return result, status_code

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            if show_graphiql:
                return None
            raise bad_request("Must provide query string.")
        if len(query) > MAX_SOURCE_LENGTH:
            return ExecutionResult(errors=[GraphQLError(
                f"Document too large: more than {MAX_SOURCE_LENGTH} characters.",
                extensions={"code": errors.PARSE_FAILED, "reason": "max_size"})])
        try:
            document = parse(query, max_tokens=max_tokens())
        except GraphQLError as error:
            error.extensions = {**(error.extensions or {}), "code": errors.PARSE_FAILED}
            return ExecutionResult(errors=[error])

        operation_ast = get_operation_ast(document, operation_name)
        if request.method.lower() == "get" and operation_ast is not None \
                and operation_ast.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(["POST"], "Mutations must be sent with POST."))

        schema = self.schema.graphql_schema
        validation_errors = validate(
            schema, document, validation_rules_for(request.user, variables), max_errors=MAX_VALIDATION_ERRORS
        )
        if validation_errors:
            return ExecutionResult(data=None, errors=validation_errors)

        options = dict(
            root_value=self.get_root_value(request),
            context_value=self.get_context(request),
            variable_values=variables,
            operation_name=operation_name,
            middleware=self.get_middleware(request),
            execution_context_class=JianglianExecutionContext,
        )
        # No transaction around the whole document: each service is atomic, so a failed mutation
        # field writes nothing and a successful one is committed and reported as such.
        return execute(schema, document, **options)


class ConsoleGraphQLView(JianglianGraphQLView):
    """Session users (GraphiQL console). CSRF-protected by Django's middleware: not exempt."""

    graphiql = True


@method_decorator(csrf_exempt, name="dispatch")
class TokenGraphQLView(JianglianGraphQLView):
    """Token clients. Session cookies are ignored: no token, no user."""

    graphiql = False

    def dispatch(self, request, *args, **kwargs):
        request.user = AnonymousUser()
        try:
            authenticated = TokenAuthentication().authenticate(request)
        except AuthenticationFailed as exc:
            return JsonResponse(
                {"errors": [{"message": str(exc.detail), "extensions": {"code": errors.UNAUTHENTICATED}}]},
                status=401,
            )
        if authenticated is not None:
            request.user = authenticated[0]
        return super().dispatch(request, *args, **kwargs)
