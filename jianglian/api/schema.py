"""OpenAPI documentation shared by every REST endpoint (drf-spectacular).

- `AutoSchema` (DEFAULT_SCHEMA_CLASS) adds the error answers 400/401/403/404/409, in the one
  shape of `jianglian.api.exceptions`, to every operation, and documents the *output* serializer
  (`output_serializer_class` of a `ServiceViewSet`) as the response of writes.
- `summary(zh, en)` writes the bilingual operation summaries: "中文 / English".
- `strict_request_bodies` (a postprocessing hook) marks request bodies `additionalProperties: false`,
  because every input serializer refuses unknown fields (`StrictInputSerializer`).
- `FilterSetExtension` documents a list's FilterSet parameters with the bounds they are checked against.
"""
import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from jianglian.filters import IntegerFilter

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


class AutoSchema(SpectacularAutoSchema):
    error_codes = tuple(ERROR_DESCRIPTIONS)

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "action", None) == "create" \
                and hasattr(self.view, "create_object"):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

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
