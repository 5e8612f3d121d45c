"""REST /api/v1/service-days/: 劳模工匠助企行 service days (现场服务) with their questions:
`GET|POST /service-days/{id}/questions/` (the secretariat or a participating expert logs one) and
`POST /service-days/{id}/questions/{question_id}/convert/` (one not solved on the spot becomes a challenge draft of
its enterprise). Rules live in alliance.services; who sees what in alliance.selectors."""
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from enterprises.selectors import enterprise_list
from experts.selectors import expert_list
from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import (
    OutputModelSerializer, OutputSerializer, StrictInputModelSerializer, StrictInputSerializer,
    VisibleReferenceField,
)
from jianglian.api.views import ServiceViewSet
from jianglian.choices import Category

from .. import selectors, services
from ..filters import ServiceDayFilter, ServiceDayQuestionFilter
from ..models import ServiceDay, ServiceDayExpert, ServiceDayQuestion


class _Brief(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ServiceDayExpertSerializer(serializers.Serializer):
    expert = _Brief(read_only=True)
    role = serializers.CharField(read_only=True)


class ServiceDaySerializer(OutputModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    venue_kind_label = serializers.CharField(source="get_venue_kind_display", read_only=True)
    experts = ServiceDayExpertSerializer(source="participations", many=True, read_only=True)
    enterprises = _Brief(many=True, read_only=True)
    questions_logged = serializers.IntegerField(read_only=True)
    questions_solved = serializers.IntegerField(read_only=True, help_text="现场解决 / solved on the spot")
    workers_trained = serializers.IntegerField(read_only=True)

    prefetch_related = (
        Prefetch("participations", queryset=ServiceDayExpert.objects.select_related("expert")),
        "enterprises",
    )

    class Meta:
        model = ServiceDay
        fields = ("id", "title", "venue", "venue_kind", "venue_kind_label", "province", "city", "starts_at",
                  "ends_at", "description", "status", "status_label", "experts", "enterprises", "questions_logged",
                  "questions_solved", "workers_trained", "report_summary", "cancel_reason", "created_at")
        read_only_fields = fields

    @classmethod
    def optimize(cls, queryset):
        return super().optimize(selectors.with_question_figures(queryset))


class ServiceDayCreateSerializer(StrictInputModelSerializer):
    experts = VisibleReferenceField(expert_list, many=True, required=False)
    enterprises = VisibleReferenceField(enterprise_list, many=True, required=False)

    class Meta:
        model = ServiceDay
        fields = ("title", "venue", "venue_kind", "province", "city", "starts_at", "ends_at", "description",
                  "experts", "enterprises")


class ServiceDayUpdateSerializer(StrictInputModelSerializer):
    class Meta:
        model = ServiceDay
        fields = ("title", "venue", "venue_kind", "province", "city", "starts_at", "ends_at", "description")
        extra_kwargs = {name: {"required": False} for name in fields}


class ParticipantsSerializer(StrictInputSerializer):
    experts = VisibleReferenceField(expert_list, many=True, required=False)
    enterprises = VisibleReferenceField(enterprise_list, many=True, required=False)
    role = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class SummarySerializer(StrictInputSerializer):
    summary = serializers.CharField(max_length=8000)


class ReasonSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class QuestionSerializer(OutputSerializer):
    id = serializers.IntegerField(read_only=True)
    service_day_id = serializers.IntegerField(read_only=True)
    enterprise = _Brief(read_only=True)
    topic = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    category = serializers.ChoiceField(choices=Category.choices, read_only=True)
    solved_on_site = serializers.BooleanField(read_only=True)
    workers_trained = serializers.IntegerField(read_only=True)
    answered_by = _Brief(read_only=True, allow_null=True)
    logged_at = serializers.DateTimeField(read_only=True)
    challenge_id = serializers.IntegerField(read_only=True, allow_null=True,
                                            help_text="转成的需求草稿 / the challenge it became")

    select_related = ("enterprise", "answered_by")


class QuestionCreateSerializer(StrictInputSerializer):
    enterprise = VisibleReferenceField(enterprise_list)
    topic = serializers.CharField(max_length=128)
    description = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices)
    solved_on_site = serializers.BooleanField(default=False)
    workers_trained = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    answered_by = VisibleReferenceField(expert_list, required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(summary=summary("助企行现场服务列表", "List service days")),
    retrieve=extend_schema(summary=summary("现场服务详情", "Retrieve a service day")),
    create=extend_schema(summary=summary("创建现场服务（秘书处）", "Create a service day (secretariat)")),
    partial_update=extend_schema(summary=summary("修改现场服务（秘书处）", "Update a service day (secretariat)")),
)
class ServiceDayViewSet(ServiceViewSet):
    output_serializer_class = ServiceDaySerializer
    create_serializer_class = ServiceDayCreateSerializer
    update_serializer_class = ServiceDayUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = ServiceDayFilter
    ordering_fields = ("starts_at", "id")
    ordering = ("-starts_at", "-id")

    secretariat_actions = frozenset({"create", "partial_update", "participants", "hold", "cancel"})

    def get_serializer_class(self):
        if self.action == "questions":
            return QuestionSerializer
        return super().get_serializer_class()

    def filter_queryset(self, queryset):
        if self.action in ("questions", "convert_question"):
            return queryset  # the day by its id; the questions' own filters apply to them
        return super().filter_queryset(queryset)

    def select(self):
        return selectors.service_day_list(user=self.request.user)

    def create_object(self, data):
        return services.service_day_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.service_day_update(user=self.request.user, day=instance, **data)

    def _do(self, service, serializer_class):
        day = self.get_object()
        service(user=self.request.user, day=day, **self.read_input(serializer_class))
        return self.respond(day, status.HTTP_200_OK)

    @extend_schema(summary=summary("添加专家和企业（秘书处）", "Add experts and enterprises (secretariat)"),
                   request=ParticipantsSerializer, operation_id="add_service_day_participants")
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        return self._do(services.service_day_add_participants, ParticipantsSerializer)

    @extend_schema(summary=summary("现场服务已举办并填报总结（秘书处）", "Mark the day held with its summary (secretariat)"),
                   request=SummarySerializer, operation_id="hold_service_day")
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._do(services.service_day_hold, SummarySerializer)

    @extend_schema(summary=summary("取消现场服务（秘书处）", "Cancel a service day (secretariat)"),
                   request=ReasonSerializer, operation_id="cancel_service_day")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._do(services.service_day_cancel, ReasonSerializer)

    def _questions(self, day):
        qs = selectors.service_question_list(user=self.request.user).filter(service_day=day)
        qs = ServiceDayQuestionFilter(self.request.query_params, queryset=qs, request=self.request)
        if not qs.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError(qs.errors)
        return QuestionSerializer.optimize(qs.qs).order_by("id")

    @extend_schema(methods=["get"], summary=summary(
        "现场服务的问题（秘书处、参与专家：全部；企业：本企业的）",
        "A day's questions (secretariat, its experts: all; an enterprise: its own)"),
        responses=QuestionSerializer(many=True), operation_id="list_service_day_questions")
    @extend_schema(methods=["post"], summary=summary(
        "记录企业的问题（秘书处或参与的劳模工匠）", "Log an enterprise's question (secretariat or a participating expert)"),
        request=QuestionCreateSerializer, responses={201: QuestionSerializer}, operation_id="log_service_day_question")
    @action(detail=True, methods=["get", "post"])
    def questions(self, request, pk=None):
        day = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(self._questions(day))
            return self.get_paginated_response(QuestionSerializer(page, many=True).data)
        data = self.read_input(QuestionCreateSerializer)
        question = services.service_day_log_question(user=request.user, day=day, **data)
        fresh = QuestionSerializer.optimize(ServiceDayQuestion.objects.filter(pk=question.pk)).get()
        return Response(QuestionSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=summary("把现场未解决的问题转成企业的需求草稿", "Turn an unsolved question into a challenge draft"),
                   request=None, responses=QuestionSerializer, operation_id="convert_service_day_question")
    @action(detail=True, methods=["post"], url_path=r"questions/(?P<question_pk>[0-9]+)/convert",
            url_name="convert-question")
    def convert_question(self, request, pk=None, question_pk=None):
        day = self.get_object()
        question = get_object_or_404(selectors.service_question_list(user=request.user).filter(service_day=day),
                                     pk=question_pk)
        question = services.service_question_convert(user=request.user, question=question)
        fresh = QuestionSerializer.optimize(ServiceDayQuestion.objects.filter(pk=question.pk)).get()
        return Response(QuestionSerializer(fresh).data)


router = SimpleRouter()
router.register("service-days", ServiceDayViewSet, basename="service-day")
urlpatterns = router.urls
