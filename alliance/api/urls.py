"""The alliance app's REST routes under /api/v1/: one module per feature."""
from . import audit, batches, event_requests, events, exports, membership, service_days, studios

urlpatterns = [
    *exports.urlpatterns,  # before studios/<pk>/
    *studios.urlpatterns,
    *membership.urlpatterns,
    *batches.urlpatterns,
    *events.urlpatterns,
    *event_requests.urlpatterns,
    *service_days.urlpatterns,
    *audit.urlpatterns,
]
