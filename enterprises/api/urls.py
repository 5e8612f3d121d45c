"""The enterprises app's REST routes under /api/v1/: one module per feature."""
from . import challenges, enterprises

urlpatterns = [*enterprises.urlpatterns, *challenges.urlpatterns]
