from rest_framework.routers import SimpleRouter

from .views import MembershipApplicationViewSet, StudioViewSet

router = SimpleRouter()
router.register("studios", StudioViewSet, basename="studio")
router.register("membership-applications", MembershipApplicationViewSet, basename="membership-application")

urlpatterns = router.urls
