"""The alliance app's REST routes under /api/v1/: one module per feature."""
from . import audit, batches, events, membership, studios

urlpatterns = [
    *studios.urlpatterns,
    *membership.urlpatterns,
    *batches.urlpatterns,
    *events.urlpatterns,
    *audit.urlpatterns,
]
