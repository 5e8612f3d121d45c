"""The enterprises app's REST routes under /api/v1/: one module per feature."""
from . import challenges, enterprises, exports

urlpatterns = [*exports.urlpatterns, *enterprises.urlpatterns, *challenges.urlpatterns]  # exports before <pk>/
