"""Token login under /api/v1/ (the OpenAPI schema and Swagger UI are in `docs_urls`, under /api/)."""
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken

from .schema import summary


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the API token (send it as `Authorization: Token <key>`)."""

    @extend_schema(
        summary=summary("获取 API 令牌", "Obtain an API token"),
        description="用户名 + 密码换取令牌，之后以 `Authorization: Token <key>` 访问 API。/ "
        "Exchange username and password for a token; then send `Authorization: Token <key>`.",
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
]
