"""OpenAPI documentation shared by every REST endpoint (drf-spectacular).

- `AutoSchema` (DEFAULT_SCHEMA_CLASS) adds the error answers 400/401/403/404/409, in the one
  shape of `jianglian.api.exceptions`, to every operation, and documents the *output* serializer
  (`output_serializer_class` of a `ServiceViewSet`) as the response of writes.
- `summary(zh, en)` writes the bilingual operation summaries: "中文 / English".
- `strict_request_bodies` (a postprocessing hook) marks request bodies `additionalProperties: false`,
  because every input serializer refuses unknown fields (`StrictInputSerializer`).
- `FilterSetExtension` documents a list's FilterSet parameters with the bounds they are checked against.

What makes the document fit client generators (issue 15; docs/openapi.json is the export, checked current by
tests/jianglian/test_openapi_export.py):
- request bodies are documented as JSON only (`multipart/form-data` only where a file is uploaded), although
  the views also accept forms: a generator offered three content types writes a union it cannot import;
- operation ids read as names: `list_challenges`, `get_challenge`, `create_challenge`, `update_challenge`,
  `publish_challenge`, `get_pairing_document` (a viewset's basename and action); other views name theirs in
  `extend_schema(operation_id=...)`;
- `portable_integer_bounds` drops the integer bounds Django takes from the database backend, so the export is
  the same on SQLite and PostgreSQL;
- `component_parameter_enums` (a postprocessing hook after drf-spectacular's `postprocess_schema_enums`)
  makes every enum of a query parameter a reference to the one component of that choice set, so each choice
  set is named once (ENUM_NAME_OVERRIDES in settings names them).
"""
import re

import django_filters
from django.db.models import Choices
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import warn
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_parameter_type, deep_import_string
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions, serializers

from jianglian.filters import IntegerFilter

from .permissions import IsSecretariatOrReadOnly

ERROR_DESCRIPTIONS = {
    "400": "输入有误（errors 中按字段给出说明） / Invalid input (field messages in `errors`)",
    "401": "未登录或令牌无效 / Not authenticated or invalid token",
    "403": "无权执行此操作 / Not allowed",
    "404": "不存在或不可见 / Not found or not visible to the caller",
    "409": "状态冲突（状态不允许或已被他人处理） / Conflict: illegal state change or already taken",
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, location=OpenApiParameter.HEADER, required=False,
    description="可选。同一账号以同一键重试同一创建请求时，返回首次的应答而不重复创建；同一键用于不同请求时返回 422。 / "
                "Optional. A retried create with the same key and body answers the first answer again (header "
                "`Idempotent-Replayed: true`) and creates nothing; the same key with another body is 422 "
                "`idempotency_key_reused`.",
)


class ErrorSerializer(serializers.Serializer):
    """The one REST error shape: {detail, code, errors}."""

    detail = serializers.CharField(help_text="说明 / Human-readable message")
    code = serializers.CharField(help_text="机器可读的错误代码 / Machine-readable error code")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text="字段 → 错误信息列表；无字段错误时为空 / field → list of messages; empty when no field is at fault",
    )

    class Meta:
        ref_name = "Error"


def summary(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


# A viewset's standard actions as the verb of the operation id.
ACTION_VERBS = {"list": "list", "retrieve": "get", "create": "create", "partial_update": "update",
                "update": "replace", "destroy": "delete"}


class AutoSchema(SpectacularAutoSchema):
    error_codes = tuple(ERROR_DESCRIPTIONS)

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "action", None) == "create" \
                and hasattr(self.view, "create_object"):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def get_operation_id(self):
        basename = getattr(self.view, "basename", None)
        action = getattr(self.view, "action", None)
        if action and not basename and action not in ACTION_VERBS and "{" not in self.path:
            # a viewset action routed on its own on a collection: GET /experts/export/ → export_experts
            return f"{action}_{self._tokenize_path()[0].replace('-', '_')}"
        if not basename or not action:
            return super().get_operation_id()
        noun = basename.replace("-", "_")
        if action == "list":
            return f"list_{plural(noun)}"
        if action in ACTION_VERBS:
            return f"{ACTION_VERBS[action]}_{noun}"
        verb = getattr(getattr(self.view, action, None), "url_path", action).replace("-", "_")
        if self.method == "GET":  # a detail read: GET /pairings/{id}/document/ → get_pairing_document
            return f"get_{noun}_{verb}"
        return f"{verb}_{noun}"  # POST /challenges/{id}/publish/ → publish_challenge

    def get_auth(self):
        """Optional auth (`{}` among the requirements) where anyone may call: drf-spectacular only knows DRF's own
        permission classes, not their subclasses (ReadOnlyOrAuthenticated) or ours (IsSecretariatOrReadOnly)."""
        auths = super().get_auth()
        if auths and {} not in auths and self._open_to_anyone():
            auths.append({})
        return auths

    def _open_to_anyone(self) -> bool:
        safe = self.method in permissions.SAFE_METHODS
        return all(
            isinstance(permission, permissions.AllowAny)
            or (safe and isinstance(permission, (permissions.IsAuthenticatedOrReadOnly, IsSecretariatOrReadOnly)))
            for permission in self.view.get_permissions()
        )

    def map_parsers(self):
        """JSON only; multipart only where the request uploads a file (and then multipart only)."""
        media_types = super().map_parsers()
        wanted = "multipart/form-data" if self._uploads_file() else "application/json"
        return [wanted] if wanted in media_types else media_types

    def _uploads_file(self) -> bool:
        serializer = self.get_request_serializer()
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            serializer = serializer()
        fields = getattr(serializer, "fields", None) or {}
        return any(isinstance(field, serializers.FileField) for field in fields.values())

    def get_response_serializers(self):
        output = getattr(self.view, "output_serializer_class", None)
        if output is not None and self.method in ("POST", "PUT", "PATCH"):
            return output
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for code in self.error_codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]), code, direction=direction
                )
        return responses


def strict_request_bodies(result, generator, request, public):
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component.setdefault("additionalProperties", False)
    return result


class FilterSetExtension(DjangoFilterExtension):
    """Query parameters of a list's FilterSet (`<app>/filters.py`), documented with the bounds its form fields check:
    an IntegerFilter (ids, numbers) is an int64 within its min/max, a CharFilter keeps its max_length."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, IntegerFilter):  # also a method filter, which names no model field
            schema = {"type": "integer", "format": "int64", "minimum": filter_field.extra["min_value"],
                      "maximum": filter_field.extra["max_value"]}
            return [build_parameter_type(
                name=field_name, required=filter_field.extra["required"], location=OpenApiParameter.QUERY,
                description=self._get_field_description(filter_field, None), schema=schema,
            )]
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, django_filters.CharFilter) and filter_field.extra.get("max_length"):
            for parameter in parameters:
                parameter["schema"]["maxLength"] = filter_field.extra["max_length"]
        return parameters


def component_parameter_enums(result, generator, request, public):
    """Every query parameter's enum becomes a reference to the component enum of the same choice set."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {}
    for name, component in schemas.items():
        if "enum" in component and "properties" not in component:
            values = frozenset(value for value in component["enum"] if value not in ("", None))
            if values:
                by_values.setdefault(values, name)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                target = schema["items"] if schema.get("type") == "array" else schema
                if "enum" not in target:
                    continue
                name = by_values.get(frozenset(target["enum"]))
                if name is None:
                    name = parameter_enum_name(parameter["name"], target, schemas)
                    schemas[name] = {"enum": target["enum"], "type": target.get("type", "string")}
                    by_values[frozenset(target["enum"])] = name
                ref = {"$ref": f"#/components/schemas/{name}"}
                if target is schema:
                    parameter["schema"] = ref
                else:
                    schema["items"] = ref
    result.get("components", {})["schemas"] = dict(sorted(schemas.items()))
    return result


def parameter_enum_name(parameter: str, schema: dict, schemas: dict) -> str:
    """The ENUM_NAME_OVERRIDES name of a choice set only query parameters use, else `<Parameter>Enum`."""
    values = frozenset(schema["enum"])
    for name, choices in spectacular_settings.ENUM_NAME_OVERRIDES.items():
        if isinstance(choices, str):
            choices = deep_import_string(choices)
        if isinstance(choices, type) and issubclass(choices, Choices):
            choices = choices.values
        if frozenset(choice if isinstance(choice, str) else choice[0] for choice in choices) == values:
            return name
    name = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", parameter) if part) + "Enum"
    if name in schemas:
        warn(f"query parameter {parameter!r}: its choice set {schema['enum']} has no component and the name "
             f"{name} is taken; name the choice set in ENUM_NAME_OVERRIDES")
        name = f"{name[:-4]}Parameter{name[-4:]}"
    return name


# Bounds Django derives from the database backend (connection.ops.integer_field_range): SQLite reports 64-bit
# limits for every integer field, PostgreSQL 16/32/64-bit ones by column type. They are no rule of the API.
DATABASE_INTEGER_LIMITS = {-(2**63), 2**63 - 1, -(2**31), 2**31 - 1, -(2**15), 2**15 - 1}


def portable_integer_bounds(result, generator, request, public):
    """The same document on every database: integer bounds that only restate a backend's column range go
    (with the `int64` format they bring), so docs/openapi.json does not depend on where it was exported."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "integer":
                for key in ("minimum", "maximum"):
                    if node.get(key) in DATABASE_INTEGER_LIMITS:
                        if abs(node.pop(key)) >= 2**31 and node.get("format") == "int64":
                            del node["format"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
