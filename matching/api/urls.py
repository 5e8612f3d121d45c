from django.urls import path

from .views import ChallengeMatchesView

urlpatterns = [
    path("challenges/<int:challenge_id>/matches/", ChallengeMatchesView.as_view(), name="challenge-matches"),
]
