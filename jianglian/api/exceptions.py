"""One error shape for the REST API.

Every error answers `{"detail": "...", "code": "...", "errors": {field: [messages]}}`;
Django's own ValidationError (raised by services) becomes a 400 with field messages,
and domain conflicts (a state change that lost a race) become 409.
"""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jianglian.errors import Conflict, DomainError, NotAllowed

logger = logging.getLogger(__name__)


def _field_errors(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc))
    elif isinstance(exc, Conflict):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc), code=exc.code)
    elif isinstance(exc, DomainError):
        return Response({"detail": str(exc), "code": exc.code, "errors": {}}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
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
    return response
