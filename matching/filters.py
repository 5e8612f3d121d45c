"""The filters of pairing agreements: one FilterSet, used by REST and by GraphQL (through jianglian.graphql.filters)."""
import django_filters

from .models import PairingAgreement, StudioInvitation


class PairingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PairingAgreement.Status.choices, help_text="结对状态 / agreement status")

    class Meta:
        model = PairingAgreement
        fields = ("status",)


class StudioInvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=StudioInvitation.Status.choices,
                                         help_text="工作室邀请状态 / studio invitation status")

    class Meta:
        model = StudioInvitation
        fields = ("status",)
