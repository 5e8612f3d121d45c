"""REST GET /api/v1/experts/export/?format=xlsx|csv&<the list's filters>: the 劳模工匠库 as a roster file.

The list's viewset with its selector, filters and ordering (what the caller may see), in the import template's
columns (experts.roster), streamed; phone, e-mail and birth year only for the experts whose contact details the
caller may see (the list's rule: the secretariat, the expert themself, enterprises paired with the expert).
"""
from django.urls import path

from jianglian.api.exports import RosterExportMixin, export_schema
from matching.pairings.selectors import contact_visible_expert_ids

from .experts import ExpertViewSet


class ExpertExportViewSet(RosterExportMixin, ExpertViewSet):
    export_kind = "experts"

    def export_contact(self):
        visible = contact_visible_expert_ids(self.request.user)
        return (lambda expert: True) if visible is None else (lambda expert: expert.pk in visible)

    @export_schema("劳模工匠库", "the expert catalog")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


# Before the router's experts/<pk>/ (experts/api/urls.py puts it first).
urlpatterns = [path("experts/export/", ExpertExportViewSet.as_view({"get": "export"}), name="expert-export")]
