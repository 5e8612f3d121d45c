from django.urls import path

from .views import ConsoleGraphQLView, TokenGraphQLView

urlpatterns = [
    path("", ConsoleGraphQLView.as_view(), name="graphql"),
    path("api/", TokenGraphQLView.as_view(), name="graphql-api"),
]
