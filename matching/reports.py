"""The campaign report's figures of this app (jianglian.reports): pairings signed and completed, with the enterprises
and challenges they served and the outcomes they reported."""
from django.db.models import Count, Sum

from jianglian.reports import CampaignQuery, Figures, figures_of

from .models import PairingAgreement


def matching_campaign_figures(query: CampaignQuery) -> dict[str, Figures]:
    """Agreements signed in the range (activated_at) and completed in it (ended_at), by the enterprise's province
    and the challenge's category (8 queries)."""
    pairings = PairingAgreement.objects.all()
    where = dict(province_field="challenge__enterprise__province", category_field="challenge__category")
    signed = figures_of(pairings.filter(activated_at__isnull=False), query, date_field="activated_at", values={
        "pairings_signed": Count("id"),
        "enterprises_served": Count("challenge__enterprise", distinct=True),
        "challenges_paired": Count("challenge", distinct=True),
    }, **where)
    completed = figures_of(pairings.filter(status=PairingAgreement.Status.COMPLETED), query, date_field="ended_at",
                           values={
                               "challenges_solved": Count("challenge", distinct=True),
                               "problems_solved": Sum("problems_solved"),
                               "savings_yuan": Sum("savings_yuan"),
                               "workers_trained": Sum("workers_trained"),
                           }, **where)
    figures = {**signed, **completed}
    if "pairings_signed" in signed:  # one expert per signed agreement: one 人次
        figures["expert_participations"] = _copy(signed["pairings_signed"])
    return figures


def _copy(figures: Figures) -> Figures:
    return Figures(total=figures.total, by_province=dict(figures.by_province), by_month=dict(figures.by_month),
                   by_category=dict(figures.by_category))

