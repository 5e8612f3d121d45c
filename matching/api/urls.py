"""The matching app's REST routes under /api/v1/: one module per feature."""
from . import matches, pairings

urlpatterns = [*matches.urlpatterns, *pairings.urlpatterns]
