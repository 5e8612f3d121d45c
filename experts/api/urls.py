"""The experts app's REST routes under /api/v1/: one module per feature."""
from . import experts, skills

urlpatterns = [*experts.urlpatterns, *skills.urlpatterns]
