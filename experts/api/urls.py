"""The experts app's REST routes under /api/v1/: one module per feature."""
from . import experts, exports, skills

urlpatterns = [*exports.urlpatterns, *experts.urlpatterns, *skills.urlpatterns]  # exports before experts/<pk>/
