"""REST GET /api/v1/studios/export/?format=xlsx|csv&<the list's filters>: the studios as a roster file.

The list's viewset with its selector, filters and ordering, in the import template's columns (alliance.roster),
streamed; the lead's mobile phone only where the caller may see the lead's contact details.
"""
from django.urls import path

from jianglian.api.exports import RosterExportMixin, export_schema
from matching.pairings.selectors import contact_visible_expert_ids

from .studios import StudioViewSet


class StudioExportViewSet(RosterExportMixin, StudioViewSet):
    export_kind = "studios"

    def export_contact(self):
        visible = contact_visible_expert_ids(self.request.user)
        return (lambda studio: True) if visible is None else (lambda studio: studio.lead_id in visible)

    def get_queryset(self):
        return super().get_queryset().select_related("lead").prefetch_related("skills")

    @export_schema("工作室", "the studios")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


# Before the router's studios/<pk>/ (alliance/api/urls.py puts it first).
urlpatterns = [path("studios/export/", StudioExportViewSet.as_view({"get": "export"}), name="studio-export")]
