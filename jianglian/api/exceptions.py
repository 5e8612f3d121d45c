"""One error shape for the REST API.

Every error answers `{"detail": "...", "code": "...", "errors": {field: [messages]}}`;
Django's own ValidationError (raised by services) becomes a 400 with field messages,
and domain conflicts (a state change that lost a race) become 409.

Bad input never becomes a server error on its way back: a body nested deeper than the parser can
follow is a 400 `parse_error`, and a lone UTF-16 surrogate that a message echoes from a JSON body
("\\ud800" is not a valid choice) is written as U+FFFD, because UTF-8 cannot encode it.
"""
import logging
import re
import traceback

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jianglian.errors import Conflict, DomainError, NotAllowed, TooManyRequests, Unavailable, is_transient_conflict
from jianglian.idempotency import IdempotencyKeyReused

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")
NESTED_TOO_DEEPLY = "请求体嵌套过深 / The request body is nested too deeply."


def _raised_by_a_parser(exc: BaseException) -> bool:
    return any(isinstance(frame.f_locals.get("self"), BaseParser) for frame, _ in traceback.walk_tb(exc.__traceback__))


def _encodable(value):
    """`value` with every lone surrogate replaced by U+FFFD (keys, messages, nested lists and dicts)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(v) for v in value]
    return value


def _field_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, RecursionError) and _raised_by_a_parser(exc):
        exc = exceptions.ParseError(NESTED_TOO_DEEPLY)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc))
    elif isinstance(exc, Conflict):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc), code=exc.code)
    elif isinstance(exc, Unavailable):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": str(exc.retry_after)})
    elif isinstance(exc, TooManyRequests):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_429_TOO_MANY_REQUESTS,
                        headers={"Retry-After": str(exc.retry_after)})
    elif isinstance(exc, IdempotencyKeyReused):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    elif isinstance(exc, DomainError):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif is_transient_conflict(exc):
        logger.info("concurrent transaction answered 409: %s", exc)
        return Response({"detail": "与同时进行的操作冲突，请重试 / Conflicts with a concurrent change, please retry.",
                         "code": "concurrent_change", "errors": {}}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, IntegrityError):
        # A check-then-insert lost a race against a unique constraint (validators cannot prevent it).
        logger.info("integrity error answered 409: %s", exc)
        return Response({"detail": "与现有数据冲突 / Conflicts with existing data.", "code": "conflict", "errors": {}},
                        status=status.HTTP_409_CONFLICT)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": "输入有误 / Invalid input.", "code": "invalid", "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(data["detail"]), "code": code, "errors": {}}
    response.data = _encodable(response.data)
    return response
