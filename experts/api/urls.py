"""The experts app's REST routes under /api/v1/: one module per feature."""
from . import claims, experts, exports, skills

urlpatterns = [*exports.urlpatterns, *claims.urlpatterns, *experts.urlpatterns,
               *skills.urlpatterns]  # exports and the claim list before experts/<pk>/
