"""Token login under /api/v1/ (the OpenAPI schema and Swagger UI are in `docs_urls`, under /api/)."""
from django.contrib.auth.signals import user_logged_in
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import imports, notifications, reports
from .schema import ErrorSerializer, summary

LOCKED_OUT = ("登录失败次数过多，账号或地址暂时锁定（code: locked_out，Retry-After 给出秒数） / Too many failed sign-ins: "
              "the account or the address is locked for a while (code `locked_out`, seconds in Retry-After)")


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the API token (send it as `Authorization: Token <key>`)."""

    @extend_schema(
        summary=summary("获取 API 令牌", "Obtain an API token"),
        operation_id="obtain_token",
        auth=[],  # no token needed to get one: generated clients call it with a plain client
        responses={200: AuthTokenSerializer, 429: OpenApiResponse(ErrorSerializer, description=LOCKED_OUT)},
        description="用户名 + 密码换取令牌，之后以 `Authorization: Token <key>` 访问 API。/ "
        "Exchange username and password for a token; then send `Authorization: Token <key>`.",
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A token for a password is a sign-in: the signal clears the failures counted against the account and
        # the address (jianglian/signin.py) and records the time, as the web sign-in does.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    def get_serializer_context(self):
        # authenticate() gets Django's request, not DRF's wrapper: sign-in throttling (jianglian/signin.py) marks
        # a locked-out attempt on it, and its middleware answers 429 from that mark.
        return {**super().get_serializer_context(), "request": self.request._request}


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    *imports.urlpatterns,
    *reports.urlpatterns,
    *notifications.urlpatterns,
]
