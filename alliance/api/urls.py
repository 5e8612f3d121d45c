"""The alliance app's REST routes under /api/v1/: one module per feature."""
from . import audit, batches, events, exports, membership, studios

urlpatterns = [
    *exports.urlpatterns,  # before studios/<pk>/
    *studios.urlpatterns,
    *membership.urlpatterns,
    *batches.urlpatterns,
    *events.urlpatterns,
    *audit.urlpatterns,
]
