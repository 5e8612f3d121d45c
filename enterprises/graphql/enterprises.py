"""GraphQL of enterprises: the Enterprise type, `enterprises`, `myEnterprises`, `registerEnterprise` and
`verifyEnterprise`. They translate input and call enterprises.services / selectors."""
import graphene

from jianglian.graphql.enums import IndustryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from .. import filters, selectors, services
from ..models import Enterprise

EnterpriseSizeEnum = enum_from_choices(Enterprise.Size, "EnterpriseSize", "企业规模")


class EnterpriseType(VisibleObjectType):
    """Verified enterprises are public; an unverified one is seen by its staff and the secretariat."""

    province = ProvinceEnum(required=True)
    industry = IndustryEnum(required=True)
    size = EnterpriseSizeEnum(required=True)
    group = graphene.Field(lambda: EnterpriseType, description="所属集团（母公司） / the group's parent enterprise")
    group_verified = graphene.Boolean(required=True, description="秘书处已核实所属集团 / the secretariat verified "
                                                                 "the group")

    unscoped = frozenset({"group"})  # whoever sees an enterprise sees the group it names

    class Meta:
        model = Enterprise
        name = "Enterprise"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "name", "credit_code", "province", "city", "industry", "size", "description", "group",
            "verified", "verified_at", "created_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.enterprise_list(user=info.context.user)

    def resolve_group(root, info):
        return root.group

    def resolve_group_verified(root, info):
        return root.group_verified


class EnterpriseQueries(graphene.ObjectType):
    enterprises = ConnectionField(EnterpriseType, filterset_class=filters.EnterpriseFilter, description="企业")
    my_enterprises = graphene.List(
        graphene.NonNull(EnterpriseType), required=True, description="The enterprises the caller works for."
    )

    def resolve_my_enterprises(root, info):
        user = info.context.user
        if not user.is_authenticated:
            return []
        return user.enterprises.all()


class RegisterEnterpriseInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    credit_code = graphene.String(required=True, description="统一社会信用代码（18 位，含校验位）")
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    industry = IndustryEnum()
    size = EnterpriseSizeEnum()
    description = graphene.String()
    client_mutation_id = client_mutation_id_argument()


class UpdateEnterpriseInput(graphene.InputObjectType):
    """Only the fields given change (the credit code and the verification are not the staff's to change)."""

    name = graphene.String()
    province = ProvinceEnum()
    city = graphene.String()
    industry = IndustryEnum()
    size = EnterpriseSizeEnum()
    description = graphene.String()
    group = graphene.ID(description="所属集团（母公司）的 Enterprise id，null 表示不属于集团；企业修改后待秘书处核实，集团只有一层 / "
                                    "the group's parent enterprise, null for none; set by the staff it waits for the "
                                    "secretariat's verification; groups are one level deep (BAD_USER_INPUT on `group`)")


class _EnterprisePayload(ServiceMutation):
    class Meta:
        abstract = True

    enterprise = graphene.Field(EnterpriseType, required=True)


ENTERPRISE = Load(EnterpriseType, to="enterprise")


class RegisterEnterprise(_EnterprisePayload):
    """The caller registers an enterprise and becomes its staff; the secretariat verifies it later."""

    class Meta:
        name = "RegisterEnterprisePayload"
        service = services.enterprise_register
        idempotent = True

    class Arguments:
        input = RegisterEnterpriseInput(required=True)


class UpdateEnterprise(_EnterprisePayload):
    """Its staff or the secretariat change an enterprise's details."""

    class Meta:
        name = "UpdateEnterprisePayload"
        service = services.enterprise_update
        load = {"id": ENTERPRISE, "group": Load(EnterpriseType)}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateEnterpriseInput(required=True)


class VerifyEnterprise(_EnterprisePayload):
    """Secretariat only."""

    class Meta:
        name = "VerifyEnterprisePayload"
        permissions = (Role.SECRETARIAT,)
        service = services.enterprise_verify
        load = {"id": ENTERPRISE}

    class Arguments:
        id = graphene.ID(required=True)


class VerifyEnterpriseGroup(_EnterprisePayload):
    """The secretariat verifies an enterprise's 所属集团 (CONFLICT `no_group` when it names none)."""

    class Meta:
        name = "VerifyEnterpriseGroupPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.enterprise_group_verify
        load = {"id": ENTERPRISE}

    class Arguments:
        id = graphene.ID(required=True)


class EnterpriseMutations(graphene.ObjectType):
    register_enterprise = RegisterEnterprise.Field()
    verify_enterprise = VerifyEnterprise.Field()
    update_enterprise = UpdateEnterprise.Field()
    verify_enterprise_group = VerifyEnterpriseGroup.Field()
