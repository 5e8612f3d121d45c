"""GraphQL of pairing agreements: `pairings`, `myPairings(status:)` and one mutation per transition.
They translate input and call matching.pairings.services; the rules live there.

`Pairing.actions` lists the transitions the caller may make now (the buttons the web pages show:
matching.pairings.selectors.pairing_actions) and `Pairing.refusals` why each other one is refused.
"""
import inspect

import graphene
from django.urls import reverse

from enterprises.graphql.challenges import ChallengeType
from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from ..filters import PairingFilter
from ..models import PairingAgreement, ResponseChannel
from ..pairings import selectors, services

PairingStatusEnum = enum_from_choices(PairingAgreement.Status, "PairingStatus", "结对意向书状态")
ResponseChannelEnum = enum_from_choices(ResponseChannel, "PairingResponseChannel",
                                        "专家答复的方式 / how the expert's answer came")

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

    studio = graphene.Field("alliance.graphql.studios.StudioType",
                            description="经工作室指派时的工作室 / the studio that assigned this member, if any")
    response_channel = graphene.Field(
        ResponseChannelEnum, description="专家的答复方式（尚未答复时为空）：平台账号、邀请链接，或秘书处代为记录的电话/当面/其他 / "
                                         "how the answer came: the expert's account, the invitation link, or relayed "
                                         "by a liaison (phone, in person, other); null before an answer")
    responded_on_behalf_by = graphene.String(
        description="代为答复的秘书处联络员 / the liaison who recorded the answer on the expert's behalf")
    paper_agreement_url = graphene.String(
        description="纸质意向书扫描件的地址（仅双方与秘书处）。上传只能通过 REST（POST /api/v1/pairings/{id}/"
                    "paper-agreement/，multipart）：GraphQL 端点不接收文件，graphene-django 没有 multipart 上传规范，"
                    "与名册上传一致。 / Where the scan of the paper agreement is (parties and secretariat). Uploading "
                    "is REST only (POST /api/v1/pairings/{id}/paper-agreement/, multipart): the GraphQL endpoint "
                    "takes no files — graphene-django implements no multipart request spec — as for roster uploads.")

    unscoped = frozenset({"challenge", "expert", "studio"})  # a party always sees what the agreement is about

    class Meta:
        model = PairingAgreement
        name = "Pairing"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "status", "challenge", "expert", "studio", "message", "goals", "start_date", "end_date",
            "deliverables", "proposed_at", "expires_at", "responded_at", "response_note", "response_channel",
            "responded_on_behalf_by", "expert_signed_at", "enterprise_signed_at", "paper_signed_on",
            "activated_at", "ended_at", "outcome_summary", "problems_solved", "savings_yuan", "workers_trained",
            "enterprise_rating", "expert_rating", "termination_reason",
        )

    def resolve_studio(root, info):
        return root.studio

    def resolve_response_channel(root, info):
        return root.response_channel or None

    def resolve_responded_on_behalf_by(root, info):
        user = root.responded_on_behalf_by
        return (user.get_full_name() or user.get_username()) if user is not None else None

    def resolve_paper_agreement_url(root, info):
        if not selectors.can_see_paper(info.context.user, root):
            return None
        return reverse("pairing-paper-agreement", args=[root.pk])

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

    liaison_queue = ConnectionField(
        PairingType, filterset_class=PairingFilter, description="联络队列（仅秘书处）：等待尚未开通账号或无法联系的劳模工匠答复的邀请，最早的在前 / the "
                                 "liaison queue (secretariat): pending invitations waiting on experts who have no "
                                 "account or no channel, oldest first")

    def resolve_my_pairings(root, info, **kwargs):
        return selectors.my_pairings(user=info.context.user)

    def resolve_liaison_queue(root, info, **kwargs):
        return selectors.liaison_queue(user=info.context.user)


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
        service = services.pairing_propose
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
    def perform(cls, info, user, pairing, accept, note=""):
        service = services.pairing_accept if accept else services.pairing_decline
        return service(user=user, pairing=pairing, note=note)


class WithdrawPairing(_PairingPayload):
    """The enterprise withdraws its invitation before acceptance."""

    class Meta:
        name = "WithdrawPairingPayload"
        service = services.pairing_withdraw
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()


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


class RecordPairingResponse(_PairingPayload):
    """The secretariat records the answer the expert gave by phone or in person (代为答复): audited as such, told
    to both sides; it signs nothing."""

    class Meta:
        name = "RecordPairingResponsePayload"
        permissions = (Role.SECRETARIAT,)
        service = services.pairing_record_response
        load = {"id": PAIRING}

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        channel = ResponseChannelEnum(required=True, description="电话、当面或其他 / PHONE, IN_PERSON or OTHER")
        note = graphene.String()


class PairingMutations(graphene.ObjectType):
    record_pairing_response = RecordPairingResponse.Field()
    propose_pairing = ProposePairing.Field()
    respond_to_pairing = RespondToPairing.Field()
    withdraw_pairing = WithdrawPairing.Field()
    sign_pairing = SignPairing.Field()
    complete_pairing = CompletePairing.Field()
    rate_pairing = RatePairing.Field()
    terminate_pairing = TerminatePairing.Field()
