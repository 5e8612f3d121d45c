"""GraphQL of pairing agreements: `pairings`, `myPairings(status:)` and one mutation per transition.
They translate input and call matching.pairings.services; the rules live there.

`Pairing.actions` lists the transitions the caller may make now (the buttons the web pages show:
matching.pairings.selectors.pairing_actions) and `Pairing.refusals` why each other one is refused.
"""
import inspect

import graphene

from enterprises.graphql.challenges import ChallengeType
from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from ..filters import PairingFilter
from ..models import PairingAgreement
from ..pairings import selectors, services

PairingStatusEnum = enum_from_choices(PairingAgreement.Status, "PairingStatus", "结对意向书状态")

# transition → the mutation that makes it (the REST path is the transition's name)
ACTION_MUTATIONS = {
    "accept": "respondToPairing(accept: true)", "decline": "respondToPairing(accept: false)",
    "withdraw": "withdrawPairing", "sign": "signPairing", "complete": "completePairing", "rate": "ratePairing",
    "terminate": "terminatePairing",
}
ACTIONS = tuple(selectors.PAIRING_REFUSALS)  # lifecycle order



def _describe_action(member):
    if member is None:
        return "结对意向书的操作 / A transition of an agreement"
    return f"{ACTION_MUTATIONS[member.value]}: {inspect.getdoc(selectors.PAIRING_REFUSALS[member.value])}"


PairingActionEnum = graphene.Enum("PairingAction", [(name.upper(), name) for name in ACTIONS],
                                  description=_describe_action)


class PairingRefusalType(graphene.ObjectType):
    """Why a transition is refused now: what its mutation would answer."""

    class Meta:
        name = "PairingRefusal"

    action = PairingActionEnum(required=True)
    reason = graphene.String(required=True, description="the mutation error's `extensions.reason` "
                                                        "(forbidden: not the caller's side; expired; already_signed …)")
    message = graphene.String(required=True, description="the mutation error's message")


class PairingType(VisibleObjectType):
    """结对意向书. Only its parties and the secretariat see it; the expert's phone and e-mail show to the
    enterprise once the expert accepted (Expert.phone/email follow matching.pairings.selectors.can_see_contact)."""

    status = PairingStatusEnum(required=True)
    challenge = graphene.Field(ChallengeType, required=True)
    expert = graphene.Field(ExpertType, required=True)
    savings_yuan = graphene.Decimal(description="节约金额（元）")
    actions = graphene.List(
        graphene.NonNull(PairingActionEnum), required=True,
        description="调用方现在可执行的操作（与页面按钮一致），按流程顺序 / the transitions the caller may make now "
                    "(the buttons the web pages show), in lifecycle order. A listed one may still answer CONFLICT "
                    "when another agreement took the challenge or the expert's capacity meanwhile.",
    )
    refusals = graphene.List(
        graphene.NonNull(PairingRefusalType), required=True,
        description="不在 actions 中的操作被拒绝的原因 / for each transition not in `actions`, why its mutation "
                    "would be refused now",
    )

    unscoped = frozenset({"challenge", "expert"})  # a party always sees what the agreement is about

    class Meta:
        model = PairingAgreement
        name = "Pairing"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "status", "challenge", "expert", "message", "goals", "start_date", "end_date", "deliverables",
            "proposed_at",
            "expires_at", "responded_at", "response_note", "expert_signed_at", "enterprise_signed_at",
            "activated_at", "ended_at", "outcome_summary", "problems_solved", "savings_yuan", "workers_trained",
            "enterprise_rating", "expert_rating", "termination_reason",
        )

    @classmethod
    def visible(cls, info):
        return selectors.pairing_list(user=info.context.user)

    def resolve_challenge(root, info):
        return root.challenge

    def resolve_expert(root, info):
        return root.expert

    # No query per row: the rules read the per-request role caches and the joined challenge (the selectors).
    def resolve_actions(root, info):
        allowed = selectors.pairing_actions(info.context.user, root)
        return [name for name in ACTIONS if name in allowed]

    def resolve_refusals(root, info):
        return [PairingRefusalType(action=name, reason=refusal.code, message=str(refusal))
                for name, refusal in selectors.pairing_refusals(info.context.user, root).items()
                if refusal is not None]


class PairingQueries(graphene.ObjectType):
    pairings = ConnectionField(PairingType, filterset_class=PairingFilter,
                               description="结对意向书：双方看自己的，秘书处看全部")
    my_pairings = ConnectionField(PairingType, filterset_class=PairingFilter,
                                  description="我参与的结对（专家：收到的邀请；企业：发出的邀请）")

    def resolve_my_pairings(root, info, **kwargs):
        return selectors.my_pairings(user=info.context.user)


# --- mutations -------------------------------------------------------------------------------------


class _PairingPayload(ServiceMutation):
    class Meta:
        abstract = True

    pairing = graphene.Field(PairingType, required=True)


PAIRING = Load(PairingType, to="pairing")


class ProposePairing(_PairingPayload):
    """Enterprise staff invite an expert to pair on one of their open challenges."""

    class Meta:
        name = "ProposePairingPayload"
        load = {"challenge": Load(ChallengeType), "expert": Load(ExpertType)}
        idempotent = True

    class Arguments:
        challenge = graphene.ID(required=True)
        expert = graphene.ID(required=True)
        message = graphene.String()
        goals = graphene.String()
        start_date = graphene.Date()
        end_date = graphene.Date()
        deliverables = graphene.String(description="预期成果 / what the pairing delivers")
        client_mutation_id = client_mutation_id_argument()

    @classmethod
    def perform(cls, info, user, challenge, expert, message=None, goals=None, start_date=None, end_date=None,
                deliverables=None):
        return services.pairing_propose(user=user, challenge=challenge, expert=expert, message=message or "",
                                        goals=goals or "", start_date=start_date, end_date=end_date,
                                        deliverables=deliverables or "")


class RespondToPairing(_PairingPayload):
    """The invited expert accepts (accept: true) or declines, with a note."""

    class Meta:
        name = "RespondToPairingPayload"
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, info, user, pairing, accept, note=None):
        service = services.pairing_accept if accept else services.pairing_decline
        return service(user=user, pairing=pairing, note=note or "")


class WithdrawPairing(_PairingPayload):
    """The enterprise withdraws its invitation before acceptance."""

    class Meta:
        name = "WithdrawPairingPayload"
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, info, user, pairing, note=None):
        return services.pairing_withdraw(user=user, pairing=pairing, note=note or "")


class SignPairing(_PairingPayload):
    """A party signs; with both signatures the agreement is active and the challenge paired."""

    class Meta:
        name = "SignPairingPayload"
        service = services.pairing_sign
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)


class PairingOutcomeInput(graphene.InputObjectType):
    summary = graphene.String(required=True)
    problems_solved = graphene.Int()
    savings_yuan = graphene.Decimal(description="节约金额（元）")
    workers_trained = graphene.Int()
    rating = graphene.Int(description="调用方一侧的评分 1–5 / the caller's side's rating")


class CompletePairing(_PairingPayload):
    """Either party reports the outcome of an active agreement; the challenge is resolved."""

    class Meta:
        name = "CompletePairingPayload"
        service = services.pairing_complete
        load = {"id": PAIRING}
        flatten = ("outcome",)

    class Arguments:
        id = graphene.ID(required=True)
        outcome = PairingOutcomeInput(required=True)


class RatePairing(_PairingPayload):
    """The side that has not rated a completed agreement yet rates it (1–5)."""

    class Meta:
        name = "RatePairingPayload"
        service = services.pairing_rate
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        rating = graphene.Int(required=True)


class TerminatePairing(_PairingPayload):
    """A party or the secretariat ends an accepted or active agreement, with a reason."""

    class Meta:
        name = "TerminatePairingPayload"
        service = services.pairing_terminate
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)


class PairingMutations(graphene.ObjectType):
    propose_pairing = ProposePairing.Field()
    respond_to_pairing = RespondToPairing.Field()
    withdraw_pairing = WithdrawPairing.Field()
    sign_pairing = SignPairing.Field()
    complete_pairing = CompletePairing.Field()
    rate_pairing = RatePairing.Field()
    terminate_pairing = TerminatePairing.Field()
