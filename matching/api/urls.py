from django.urls import path

from .views import ChallengeMatchesRequestView, ChallengeMatchesView

urlpatterns = [
    path("challenges/<int:challenge_id>/matches/", ChallengeMatchesView.as_view(), name="challenge-matches"),
    path("challenges/<int:challenge_id>/matches/refresh/", ChallengeMatchesRequestView.as_view(),
         name="challenge-matches-refresh"),
]
