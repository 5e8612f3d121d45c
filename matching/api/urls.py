"""The matching app's REST routes under /api/v1/: one module per feature."""
from . import conflicts, exports, fitting, matches, pairings, similar

urlpatterns = [*exports.urlpatterns, *matches.urlpatterns, *conflicts.urlpatterns, *similar.urlpatterns,
               *fitting.urlpatterns, *pairings.urlpatterns]  # exports before <pk>/
