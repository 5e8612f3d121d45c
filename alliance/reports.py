"""The campaign report's figures of this app (jianglian.reports): 进校园 events held, their audience and the experts
who took part."""
from django.db.models import Count, Sum

from jianglian.reports import CampaignQuery, Figures, figures_of

from .models import EventParticipation, OutreachEvent


def alliance_campaign_figures(query: CampaignQuery) -> dict[str, Figures]:
    """Events held that started in the range, by the event's province (no category: 6 queries, none when the
    report is filtered by category)."""
    held = OutreachEvent.Status.HELD
    events = figures_of(OutreachEvent.objects.filter(status=held), query, date_field="starts_at",
                        province_field="province",
                        values={"events_held": Count("id"), "event_audience": Sum("audience_count")})
    participations = figures_of(
        EventParticipation.objects.filter(event__status=held, status=EventParticipation.Status.CONFIRMED), query,
        date_field="event__starts_at", province_field="event__province",
        values={"expert_participations": Count("id")})
    return {**events, **participations}
