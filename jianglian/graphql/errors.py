"""The one place where exceptions become GraphQL errors. Every error carries `extensions.code`.

| raised (by a service, a selector, a resolver)     | extensions.code            |
|---------------------------------------------------|----------------------------|
| django ValidationError                            | BAD_USER_INPUT + `fields`  |
| jianglian.errors.NotAllowed (caller anonymous)    | UNAUTHENTICATED            |
| jianglian.errors.NotAllowed                       | FORBIDDEN                  |
| jianglian.errors.Conflict / IllegalTransition     | CONFLICT                   |
| a deadlock / serialization failure (PostgreSQL)   | CONFLICT, reason concurrent_change |
| jianglian.errors.Unavailable (e.g. search's)      | its code in capitals (SEARCH_UNAVAILABLE) + `retryAfter` (seconds) |
| jianglian.errors.DomainError                      | BAD_REQUEST                |
| ObjectDoesNotExist (incl. Model.DoesNotExist)     | NOT_FOUND                  |
| django PermissionDenied                           | FORBIDDEN                  |
| a syntax error / a validation rule                | GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED |
| anything else                                     | INTERNAL_SERVER_ERROR (message hidden unless DEBUG) |

Domain errors also carry `extensions.reason`, the service's own code (e.g. `enterprise_not_verified`).
"""
import logging
import re

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError

from jianglian.errors import Conflict, DomainError, NotAllowed, TooManyRequests, Unavailable, is_transient_conflict

logger = logging.getLogger("jianglian.graphql")

BAD_USER_INPUT = "BAD_USER_INPUT"
BAD_REQUEST = "BAD_REQUEST"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
CONFLICT = "CONFLICT"
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"

_SUGGESTION = re.compile(r"\s*Did you mean .*?\?(?=$|\s)", re.DOTALL)


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} with GraphQL (camelCase) field names; `__all__` for non-field errors."""
    if hasattr(error, "error_dict"):
        return {
            (field if field == "__all__" else to_camel_case(field)): [str(m) for e in errs for m in e.messages]
            for field, errs in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def strip_suggestions(message: str) -> str:
    """graphql-core has no switch for "Did you mean …"; remove it from the message."""
    return _SUGGESTION.sub("", message)


def describe(error: GraphQLError, *, user=None) -> tuple[str, dict]:
    """(message, extensions) for one error raised during execution or produced by validation."""
    original = error.original_error
    extensions = dict(error.extensions or {})
    message = error.message
    if original is None or isinstance(original, GraphQLError):
        # no path: the document or its variables were refused before execution
        extensions.setdefault("code", VALIDATION_FAILED if error.path is None else BAD_REQUEST)
        return message, extensions
    if isinstance(original, ValidationError):
        fields = field_errors(original)
        extensions.update(code=BAD_USER_INPUT, fields=fields)
        first = next(iter(fields.values()), [""])
        return (first[0] if len(fields) == 1 and first else "输入有误 / Invalid input."), extensions
    if isinstance(original, NotAllowed):
        anonymous = user is None or not getattr(user, "is_authenticated", False)
        code = UNAUTHENTICATED if anonymous or original.code == "not_authenticated" else FORBIDDEN
        extensions.update(code=code, reason=original.code)
        return str(original), extensions
    if isinstance(original, Conflict):
        extensions.update(code=CONFLICT, reason=original.code)
        return str(original), extensions
    if isinstance(original, Unavailable):
        extensions.update(code=original.code.upper(), reason=original.code, retryAfter=original.retry_after)
        return str(original), extensions
    if isinstance(original, TooManyRequests):
        extensions.update(code=TOO_MANY_REQUESTS, reason=original.code, retryAfter=original.retry_after)
        return str(original), extensions
    if isinstance(original, DomainError):
        extensions.update(code=BAD_REQUEST, reason=original.code)
        return str(original), extensions
    if is_transient_conflict(original):
        extensions.update(code=CONFLICT, reason="concurrent_change")
        return "与同时进行的操作冲突，请重试 / Conflicts with a concurrent change, please retry.", extensions
    if isinstance(original, ObjectDoesNotExist):
        extensions.update(code=NOT_FOUND)
        return "找不到该对象 / Not found.", extensions
    if isinstance(original, PermissionDenied):
        extensions.update(code=FORBIDDEN)
        return str(original) or "无权操作 / Forbidden.", extensions
    logger.error("GraphQL resolver failed: %s", message, exc_info=original)
    extensions.update(code=INTERNAL)
    return (message if settings.DEBUG else "服务器内部错误 / Internal server error."), extensions


def format_error(error, *, user=None, suggestions: bool = False) -> dict:
    if not isinstance(error, GraphQLError):
        return {"message": str(error), "extensions": {"code": BAD_REQUEST}}
    message, extensions = describe(error, user=user)
    if not suggestions:
        message = strip_suggestions(message)
    formatted = error.formatted
    formatted["message"] = message
    formatted["extensions"] = extensions
    return formatted
