"""The campaign report's figures of this app (jianglian.reports): challenges posted."""
from django.db.models import Count

from jianglian.reports import CampaignQuery, Figures, figures_of

from .models import Challenge


def enterprises_campaign_figures(query: CampaignQuery) -> dict[str, Figures]:
    """Challenges published in the range, by their enterprise's province and their category (4 queries)."""
    return figures_of(Challenge.objects.all(), query, date_field="published_at",
                      province_field="enterprise__province", category_field="category",
                      values={"challenges_posted": Count("id")})
