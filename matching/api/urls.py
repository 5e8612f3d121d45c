"""The matching app's REST routes under /api/v1/: one module per feature."""
from . import conflicts, exports, fitting, liaison, matches, pairings, similar, studio_invitations

urlpatterns = [*exports.urlpatterns, *matches.urlpatterns, *conflicts.urlpatterns, *similar.urlpatterns,
               *fitting.urlpatterns, *liaison.urlpatterns, *pairings.urlpatterns,
               *studio_invitations.urlpatterns]  # exports before <pk>/
