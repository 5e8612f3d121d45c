"""REST /api/v1/pairings/: list (the caller's agreements), create = propose, one action per transition,
and the printable 结对意向书 (GET …/document, HTML or PDF). Rules live in matching.pairings.services.

Every agreement carries `actions`, the transitions the caller may make now (the buttons the pages
show: matching.pairings.selectors.pairing_actions); a single agreement (retrieve, and the answer of
every write) also carries `refusals`, why each other transition would be refused.
"""
import inspect

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view, inline_serializer,
)
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from enterprises.selectors import challenge_list
from experts.selectors import expert_list
from jianglian.api.schema import ERROR_DESCRIPTIONS, ErrorSerializer, summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputSerializer, VisibleReferenceField
from jianglian.api.views import ServiceViewSet

from ..filters import PairingFilter
from ..models import ON_BEHALF_CHANNELS, PairingAgreement, ResponseChannel
from ..pairings import documents, paper, selectors, services

# --- output ------------------------------------------------------------------------------------


class PairingPartySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PairingChallengeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    enterprise = PairingPartySerializer(read_only=True)


class PairingExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    employer = serializers.CharField(read_only=True)
    phone = serializers.SerializerMethodField(help_text="仅在专家接受后对企业可见 / visible to the enterprise once accepted")
    email = serializers.SerializerMethodField(help_text="仅在专家接受后对企业可见 / visible to the enterprise once accepted")

    def _visible(self, expert) -> bool:
        request = self.context.get("request")
        visible = selectors.contact_visible_expert_ids(getattr(request, "user", None))  # one query per request, cached
        return visible is None or expert.pk in visible

    def get_phone(self, expert) -> str | None:
        return expert.phone if self._visible(expert) else None

    def get_email(self, expert) -> str | None:
        return expert.email if self._visible(expert) else None


# The transition names, in lifecycle order; each is also the path of its POST (…/{id}/<name>/).
ACTIONS = tuple(selectors.PAIRING_REFUSALS)



class PairingActionField(serializers.ChoiceField):
    """One transition name; documented once as the component PairingActionEnum."""

    def __init__(self, **kwargs):
        super().__init__(choices=ACTIONS, **kwargs)


class PairingActionFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PairingActionField

    def get_name(self):
        return "PairingActionEnum"

    def map_serializer_field(self, auto_schema, direction):
        rules = "\n".join(f"* `{name}` - {inspect.getdoc(selectors.PAIRING_REFUSALS[name])}" for name in ACTIONS)
        return {"type": "string", "enum": list(ACTIONS),
                "description": "结对意向书的操作 / A transition of an agreement (POST /api/v1/pairings/{id}/<action>/), "
                               f"allowed when:\n\n{rules}"}


class PairingRefusalSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="机器可读的错误代码 / the `code` the refused POST answers "
                                           "(forbidden: not the caller's side)")
    detail = serializers.CharField(help_text="说明 / the `detail` the refused POST answers")

    class Meta:
        ref_name = "PairingRefusal"


PairingRefusals = inline_serializer(name="PairingRefusals", fields={
    name: PairingRefusalSerializer(required=False, help_text=f"为何现在不能 {name} / why `{name}` is refused now")
    for name in ACTIONS
})


def _user(field):
    return getattr(field.context.get("request"), "user", None)


@extend_schema_field(serializers.ListField(child=PairingActionField()))
class PairingActionsField(serializers.Field):
    """The transitions the caller may make now (selectors.pairing_actions), in lifecycle order.
    No query per row: the rules read the per-request role caches and the joined challenge."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, pairing):
        allowed = selectors.pairing_actions(_user(self), pairing)
        return [name for name in ACTIONS if name in allowed]


@extend_schema_field(PairingRefusals)
class PairingRefusalsField(serializers.Field):
    """Why each transition not in `actions` is refused now: the `*_refusal` selectors' errors.
    Only on a single agreement; a list leaves it out (so it is not `required` in the schema either)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def get_attribute(self, pairing):
        if isinstance(self.parent.parent, serializers.ListSerializer):
            raise SkipField
        return pairing

    def to_representation(self, pairing):
        return {name: {"code": refusal.code, "detail": str(refusal)}
                for name, refusal in selectors.pairing_refusals(_user(self), pairing).items() if refusal is not None}


class PairingStudioSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PairingSerializer(OutputModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    studio = PairingStudioSerializer(read_only=True, allow_null=True,
                                     help_text="经工作室指派时的工作室 / the studio that assigned this member, if any")
    response_channel = serializers.ChoiceField(
        choices=ResponseChannel.choices, read_only=True, allow_blank=True,
        help_text="专家的答复方式：平台账号、邀请链接，或秘书处代为记录的电话/当面/其他 / how the expert's answer came: "
                  "their account, the invitation link, or relayed by a liaison (phone, in person, other)")
    responded_on_behalf_by = serializers.SerializerMethodField(
        help_text="代为答复的秘书处联络员 / the liaison who recorded the answer on the expert's behalf")
    paper_agreement_url = serializers.SerializerMethodField(
        help_text="纸质意向书扫描件（仅双方与秘书处）/ the scan of the paper agreement signed on site, for the parties "
                  "and the secretariat (GET, with the same credentials); null when there is none")

    def get_responded_on_behalf_by(self, pairing) -> str | None:
        user = pairing.responded_on_behalf_by
        return (user.get_full_name() or user.get_username()) if user is not None else None

    def get_paper_agreement_url(self, pairing) -> str | None:
        if not selectors.can_see_paper(_user(self), pairing):
            return None
        return reverse("pairing-paper-agreement", args=[pairing.pk])
    challenge = PairingChallengeSerializer(read_only=True)
    expert = PairingExpertSerializer(read_only=True)
    actions = PairingActionsField(
        help_text="调用方现在可执行的操作（与页面按钮一致），按流程顺序 / the transitions the caller may make now "
                  "(the buttons the web pages show), in lifecycle order. A listed one may still answer 409 "
                  "when another agreement took the challenge or the expert's capacity meanwhile.")
    refusals = PairingRefusalsField(
        help_text="仅单个意向书（详情及各操作的应答）：不在 actions 中的操作被拒绝的原因 / only on a single "
                  "agreement (retrieve and the answer of every write), absent from lists: for each transition "
                  "not in `actions`, the error its POST would answer now, e.g. accept: {code: expired}.")

    select_related = ("challenge__enterprise", "expert", "studio", "responded_on_behalf_by")

    class Meta:
        model = PairingAgreement
        fields = (
            "id", "status", "status_label", "challenge", "expert", "studio", "message", "goals", "start_date",
            "end_date", "deliverables", "proposed_at", "expires_at", "responded_at", "response_note",
            "response_channel", "responded_on_behalf_by", "expert_signed_at", "enterprise_signed_at",
            "paper_signed_on", "paper_agreement_url", "activated_at", "ended_at", "outcome_summary", "problems_solved",
            "savings_yuan", "workers_trained", "enterprise_rating", "expert_rating", "termination_reason",
            "actions", "refusals",
        )
        read_only_fields = fields


# --- input -------------------------------------------------------------------------------------


class PairingProposeSerializer(StrictInputSerializer):
    challenge = VisibleReferenceField(challenge_list)
    expert = VisibleReferenceField(expert_list)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    goals = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    deliverables = serializers.CharField(required=False, allow_blank=True, max_length=4000,
                                         help_text="预期成果 / what the pairing delivers")


class PairingNoteSerializer(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PairingReasonSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class PairingOutcomeSerializer(StrictInputSerializer):
    summary = serializers.CharField(max_length=8000)
    problems_solved = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    savings_yuan = serializers.DecimalField(required=False, allow_null=True, max_digits=14, decimal_places=2,
                                            min_value=0)
    workers_trained = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5,
                                      help_text="调用方一侧的评分 / the caller's side's rating")


class PairingRatingSerializer(StrictInputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)


class RecordResponseSerializer(StrictInputSerializer):
    accept = serializers.BooleanField(help_text="专家接受（true）或婉拒（false） / the expert accepted (true) or declined")
    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in ON_BEHALF_CHANNELS],
                                      help_text="专家通过何种方式答复 / how the expert gave the answer")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="答复内容与说明 / what the expert said")


class PaperAgreementSerializer(StrictInputSerializer):
    file = serializers.FileField(help_text="双方签署的纸质意向书扫描件：PDF、JPEG 或 PNG（按内容识别），最大 10 MB / the "
                                           "scan of the paper agreement both sides signed: PDF, JPEG or PNG (read "
                                           "from its bytes), at most PAIRING_PAPER_MAX_BYTES (10 MB)")
    signed_on = serializers.DateField(help_text="纸上的签署日期 / the date written on the paper")


# --- the document renderers ---------------------------------------------------------------------


class _DocumentRenderer(renderers.BaseRenderer):
    """Passes the rendered document through; an error (a dict) is answered as JSON."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if isinstance(data, (bytes, str)):
            return data
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)


class DocumentHTMLRenderer(_DocumentRenderer):
    media_type = "text/html"
    format = "html"
    charset = "utf-8"


class DocumentPDFRenderer(_DocumentRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None


# --- the viewset -------------------------------------------------------------------------------

TRANSITION_INPUTS = {
    "accept": PairingNoteSerializer, "decline": PairingNoteSerializer, "withdraw": PairingNoteSerializer,
    "sign": None, "complete": PairingOutcomeSerializer, "rate": PairingRatingSerializer,
    "terminate": PairingReasonSerializer,
}


@extend_schema_view(
    list=extend_schema(summary=summary("我的结对（秘书处：全部）", "My pairing agreements (secretariat: all)")),
    retrieve=extend_schema(summary=summary("结对详情（仅双方与秘书处）", "Retrieve an agreement (parties and secretariat)")),
    create=extend_schema(summary=summary("发起结对邀请（企业）", "Propose a pairing (enterprise staff)")),
)
class PairingViewSet(ServiceViewSet):
    output_serializer_class = PairingSerializer
    create_serializer_class = PairingProposeSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = PairingFilter
    ordering_fields = ("proposed_at", "id", "status", "expires_at")
    ordering = ("-proposed_at", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def select(self):
        return selectors.pairing_list(user=self.request.user)

    def create_object(self, data):
        return services.pairing_propose(user=self.request.user, **data)

    def _transition(self, name, **extra):
        pairing = self.get_object()
        serializer_class = TRANSITION_INPUTS[name]
        data = self.read_input(serializer_class) if serializer_class else {}
        result = getattr(services, f"pairing_{name}")(user=self.request.user, pairing=pairing, **data, **extra)
        return self.respond(result, status.HTTP_200_OK)

    @extend_schema(summary=summary("接受邀请（受邀专家）", "Accept (the invited expert)"), request=PairingNoteSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition("accept")

    @extend_schema(summary=summary("婉拒邀请（受邀专家）", "Decline (the invited expert)"), request=PairingNoteSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._transition("decline")

    @extend_schema(summary=summary("撤回邀请（企业，接受前）", "Withdraw (enterprise, before acceptance)"),
                   request=PairingNoteSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._transition("withdraw")

    @extend_schema(summary=summary("签署意向书（双方）", "Sign the agreement (either party)"), request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._transition("sign")

    @extend_schema(summary=summary("填报成果并完成（双方）", "Report the outcome and complete (either party)"),
                   request=PairingOutcomeSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._transition("complete")

    @extend_schema(summary=summary("完成后评分（尚未评分的一方）", "Rate a completed agreement (the side yet to rate)"),
                   request=PairingRatingSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._transition("rate")

    @extend_schema(summary=summary("终止结对（双方或秘书处）", "Terminate (either party or the secretariat)"),
                   request=PairingReasonSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        return self._transition("terminate")

    @extend_schema(
        summary=summary("代为记录专家的答复（秘书处）", "Record the expert's answer on their behalf (secretariat)"),
        description="联络员记录专家通过电话或当面给出的答复（接受/婉拒、方式、说明），审计为“代为答复”并通知双方；"
                    "不代为签署。 / A liaison records the answer the expert gave by phone or in person; audited as "
                    "answered on the expert's behalf, told to both sides. It signs nothing.",
        request=RecordResponseSerializer,
    )
    @action(detail=True, methods=["post"], url_path="record-response")
    def record_response(self, request, pk=None):
        pairing = self.get_object()
        data = self.read_input(RecordResponseSerializer)
        return self.respond(services.pairing_record_response(user=request.user, pairing=pairing, **data))

    @extend_schema(
        summary=summary("上传纸质意向书扫描件（秘书处）", "Attach the paper agreement signed on site (secretariat)"),
        description="记录双方在纸质意向书上的签署（按纸上的日期），意向书生效。文件类型按内容识别，超限或类型不符时"
                    "拒绝且不保存任何文件。只能通过 REST 上传（GraphQL 端点不接收文件）。 / Records both signatures "
                    "with the date on the paper; the agreement becomes active. The type is read from the bytes; a "
                    "file of another type or over the size limit is refused and nothing is stored. REST only: the "
                    "GraphQL endpoint takes no files (no multipart spec in graphene-django).",
        request={"multipart/form-data": PaperAgreementSerializer},
        methods=["POST"],
    )
    @extend_schema(
        summary=summary("纸质意向书扫描件（双方与秘书处）", "The scan of the paper agreement (parties, secretariat)"),
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
                   **{(code, "application/json"): OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS.get(
                       str(code), "")) for code in (401, 404)}},
        methods=["GET"],
    )
    @action(detail=True, methods=["get", "post"], url_path="paper-agreement", url_name="paper-agreement",
            parser_classes=[MultiPartParser, FormParser])
    def paper_agreement(self, request, pk=None):
        pairing = self.get_object()
        if request.method == "GET":
            if not selectors.can_see_paper(request.user, pairing):
                raise Http404
            return paper.paper_response(pairing)
        data = self.read_input(PaperAgreementSerializer)
        return self.respond(services.pairing_attach_paper(user=request.user, pairing=pairing, **data))

    @extend_schema(
        summary=summary("结对意向书（HTML 或 PDF）", "The printable agreement (HTML or PDF)"),
        parameters=[OpenApiParameter("format", enum=["html", "pdf"], description="或用 Accept / or use Accept")],
        responses={
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            **{(code, "application/json"): OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS.get(
                str(code), "无法提供所请求的格式 / The requested format is not available"))
               for code in (401, 403, 404, 406)},
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[DocumentHTMLRenderer, DocumentPDFRenderer])
    def document(self, request, pk=None):
        pairing = self.get_object()
        if request.accepted_renderer.format == "pdf":
            response = HttpResponse(documents.render_pdf(pairing), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{documents.document_number(pairing)}.pdf"'
            return response
        return HttpResponse(documents.render_html(pairing), content_type="text/html; charset=utf-8")


router = SimpleRouter()
router.register("pairings", PairingViewSet, basename="pairing")
urlpatterns = router.urls
