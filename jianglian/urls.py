from django.contrib import admin
from django.urls import include, path

from jianglian.health import healthz, readyz

# Each app contributes its REST routes under /api/v1/: one include per app (`<app>/api/urls.py`, composing
# the app's feature modules `<app>/api/<feature>.py`).
api_v1 = [
    path("", include("jianglian.api.urls")),  # auth/token/
    path("", include("experts.api.urls")),
    path("", include("alliance.api.urls")),
    # matching before enterprises: its challenges/similar/ must not be read as enterprises' challenges/{id}/
    path("", include("matching.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("search.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # for orchestrators: the process answers
    path("readyz", readyz, name="readyz"),  # the database, the broker and search answer (503 names what failed)
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/", include("jianglian.api.docs_urls")),  # schema/ and docs/ (Swagger UI)
    path("i18n/", include("django.conf.urls.i18n")),
    path("graphql/", include("jianglian.graphql.urls")),  # GraphiQL console (session) and api/ (token)
    path("", include("frontend_stub.urls")),  # the web pages; last, so it never shadows the routes above
]
