"""REST /api/v1/enterprises/: register (the caller becomes staff), update, the secretariat verifies.
Rules live in enterprises.services.

Input serializers hold only what a caller may set; `verified`, staff and dates are decided by the services.
"""
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat, ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputModelSerializer, StrictInputSerializer
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..filters import EnterpriseFilter
from ..models import Challenge, Enterprise


class EnterpriseGroupSerializer(serializers.Serializer):
    """所属集团: the parent enterprise of the group."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class EnterpriseSerializer(OutputModelSerializer):
    province_label = serializers.CharField(source="get_province_display", read_only=True)
    industry_label = serializers.CharField(source="get_industry_display", read_only=True)
    size_label = serializers.CharField(source="get_size_display", read_only=True)
    open_challenge_count = serializers.IntegerField(read_only=True, help_text="征集中的需求数 / open challenges")
    group = EnterpriseGroupSerializer(read_only=True, allow_null=True,
                                      help_text="所属集团（母公司） / the group's parent enterprise")
    group_verified = serializers.BooleanField(read_only=True,
                                              help_text="秘书处已核实所属集团 / the secretariat verified the group")

    select_related = ("group",)

    class Meta:
        model = Enterprise
        fields = ("id", "name", "credit_code", "province", "province_label", "city", "industry", "industry_label",
                  "size", "size_label", "description", "group", "group_verified", "verified", "verified_at",
                  "open_challenge_count", "created_at")
        read_only_fields = fields

    @classmethod
    def optimize(cls, queryset):
        return super().optimize(queryset).annotate(
            open_challenge_count=Count("challenges", filter=Q(challenges__status=Challenge.Status.OPEN), distinct=True)
        )


class EnterpriseRegisterSerializer(StrictInputSerializer):
    """Registration: the caller becomes the enterprise's staff; the secretariat verifies it later."""

    name = serializers.CharField(max_length=128)
    credit_code = serializers.CharField(max_length=32, help_text="统一社会信用代码（18 位，含校验位） / 18-character USCC")
    province = serializers.ChoiceField(choices=Enterprise._meta.get_field("province").choices)
    city = serializers.CharField(max_length=32)
    industry = serializers.ChoiceField(choices=Enterprise._meta.get_field("industry").choices, required=False)
    size = serializers.ChoiceField(choices=Enterprise.Size.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VisibleEnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise id the caller may see (enterprises.selectors.enterprise_list); others are "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.enterprise_list(user=getattr(request, "user", None))


class EnterpriseUpdateSerializer(StrictInputModelSerializer):
    group = VisibleEnterpriseField(
        required=False, allow_null=True,
        help_text="所属集团（母公司）的企业 id，null 表示不属于集团；企业修改后待秘书处核实 / the group's parent "
                  "enterprise, null for none; set by the enterprise, it waits for the secretariat's verification",
    )

    class Meta:
        model = Enterprise
        fields = ("name", "province", "city", "industry", "size", "description", "group")


class EnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    verified = serializers.BooleanField(read_only=True)
    province = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)


@extend_schema_view(
    list=extend_schema(summary=summary("企业列表（已认证企业及本企业）", "List enterprises (verified ones and your own)")),
    retrieve=extend_schema(summary=summary("企业详情", "Retrieve an enterprise")),
    create=extend_schema(summary=summary("注册企业", "Register an enterprise")),
    partial_update=extend_schema(summary=summary("修改企业信息（本企业或秘书处）", "Update an enterprise (its staff or the secretariat)")),
)
class EnterpriseViewSet(ServiceViewSet):
    output_serializer_class = EnterpriseSerializer
    create_serializer_class = EnterpriseRegisterSerializer
    update_serializer_class = EnterpriseUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = EnterpriseFilter
    ordering_fields = ("name", "id", "created_at", "province", "city")
    ordering = ("id",)

    def select(self):
        return selectors.enterprise_list(user=self.request.user)

    def create_object(self, data):
        return services.enterprise_register(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.enterprise_update(user=self.request.user, enterprise=instance, **data)

    @extend_schema(summary=summary("认证企业（秘书处）", "Verify an enterprise (secretariat)"), request=None)
    @action(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def verify(self, request, pk=None):
        enterprise = services.enterprise_verify(user=request.user, enterprise=self.get_object())
        return self.respond(enterprise)

    @extend_schema(summary=summary("核实企业的所属集团（秘书处）", "Verify an enterprise's group (secretariat)"),
                   request=None)
    @action(detail=True, methods=["post"], url_path="verify-group", permission_classes=[IsSecretariat])
    def verify_group(self, request, pk=None):
        enterprise = services.enterprise_group_verify(user=request.user, enterprise=self.get_object())
        return self.respond(enterprise)


router = SimpleRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
urlpatterns = router.urls
