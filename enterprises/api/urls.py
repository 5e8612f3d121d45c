from rest_framework.routers import SimpleRouter

from .views import ChallengeViewSet, EnterpriseViewSet

router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("challenges", ChallengeViewSet, basename="challenge")

urlpatterns = router.urls
