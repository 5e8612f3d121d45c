from django.contrib import admin

from jianglian.admin import ReadOnlyAdmin

from .models import (
    ChallengeNeed, DemoRecord, ExpertArea, Match, PairingAgreement, PairingInvitationLink, StudioArea, StudioInvitation,
)


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    """Ranked candidates are computed by the engine (Challenge admin: 重新计算匹配), never typed in."""

    list_display = ("challenge", "kind", "rank", "expert", "studio", "score", "algorithm_version", "computed_at")
    list_filter = ("kind", "algorithm_version")
    search_fields = ("challenge__title", "expert__name", "studio__name")
    list_select_related = ("challenge", "expert", "studio")
    raw_id_fields = ("challenge", "expert", "studio")


@admin.register(PairingAgreement)
class PairingAgreementAdmin(ReadOnlyAdmin):
    """结对意向书 change state only through the parties' actions (pairing services), so the admin reads them."""

    list_display = ("challenge", "expert", "status", "proposed_at", "expires_at", "activated_at", "ended_at")
    list_filter = ("status",)
    search_fields = ("challenge__title", "challenge__enterprise__name", "expert__name")
    list_select_related = ("challenge", "expert")
    raw_id_fields = ("challenge", "expert", "proposed_by", "enterprise_signed_by", "studio", "responded_on_behalf_by",
                     "paper_attached_by")
    date_hierarchy = "proposed_at"


@admin.register(PairingInvitationLink)
class PairingInvitationLinkAdmin(ReadOnlyAdmin):
    """One-time links sent to experts without an account: where each went and when it was used."""

    list_display = ("pairing", "created_at", "sent_at", "used_at", "used_by")
    list_select_related = ("pairing__challenge", "pairing__expert", "used_by")
    raw_id_fields = ("pairing", "used_by")


@admin.register(StudioInvitation)
class StudioInvitationAdmin(ReadOnlyAdmin):
    """Studio invitations change only through the services (invite, assign, decline, withdraw)."""

    list_display = ("challenge", "studio", "status", "proposed_at", "expires_at", "pairing")
    list_filter = ("status",)
    search_fields = ("challenge__title", "studio__name")
    list_select_related = ("challenge", "studio", "pairing")
    raw_id_fields = ("challenge", "studio", "proposed_by", "answered_by", "pairing")


class AreaAdmin(ReadOnlyAdmin):
    """Skill areas derived from profiles by the matching engine (rebuilt on every profile change)."""

    list_filter = ("level", "skill")


@admin.register(ExpertArea)
class ExpertAreaAdmin(AreaAdmin):
    list_display = ("expert", "skill", "level", "evidence")
    search_fields = ("expert__name", "skill__name")
    list_select_related = ("expert", "skill")


@admin.register(StudioArea)
class StudioAreaAdmin(AreaAdmin):
    list_display = ("studio", "skill", "level", "evidence")
    search_fields = ("studio__name", "skill__name")
    list_select_related = ("studio", "skill")


@admin.register(ChallengeNeed)
class ChallengeNeedAdmin(ReadOnlyAdmin):
    """Skill areas the engine read in a challenge (rewritten with its matches)."""

    list_display = ("challenge", "skill", "role", "share")
    list_filter = ("role", "skill")
    search_fields = ("challenge__title", "skill__name")
    list_select_related = ("challenge", "skill")


@admin.register(DemoRecord)
class DemoRecordAdmin(ReadOnlyAdmin):
    """The rows seed_demo created, by their key in the demo plan (written by seed_demo only)."""

    list_display = ("kind", "key", "object_id")
    list_filter = ("kind",)
    search_fields = ("key",)
