from django.contrib import admin
from django.urls import include, path

# Each app contributes its REST routes under /api/v1/.
api_v1 = [
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
]
