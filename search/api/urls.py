"""The search app's REST routes under /api/v1/: one module per feature."""
from . import search

urlpatterns = [*search.urlpatterns]
