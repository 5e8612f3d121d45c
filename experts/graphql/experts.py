"""GraphQL of the 劳模工匠库: Expert (its honours and campus outreach history), `experts`,
`myExpertProfile` and `updateExpertProfile`. They translate input and call experts.services / selectors."""
import graphene
from django.utils.translation import gettext as _

from alliance import selectors as alliance_selectors
from alliance.models import EventParticipation
from enterprises.graphql.enterprises import EnterpriseType
from jianglian.errors import NotAllowed
from jianglian.graphql.enums import CategoryEnum, HonourEnum, IndustryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.mutations import Load, Role, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node
from jianglian.roles import expert_of
from matching.pairings.selectors import can_see_contact

from .. import filters, selectors, services
from ..models import Expert, ExpertHonour
from .skills import SkillType, skills_from_ids

ExpertRoleEnum = enum_from_choices(Expert.Role, "ExpertRole", "劳模 / 工匠")
GenderEnum = enum_from_choices(Expert.Gender, "Gender")


class ExpertHonourType(VisibleObjectType):
    honour = HonourEnum(required=True)

    class Meta:
        model = ExpertHonour
        name = "ExpertHonour"
        fields = ("honour", "year")


class OutreachParticipationType(VisibleObjectType):
    """One 劳模工匠进校园 event the expert took part in, as their profile shows it (REST `outreach_events`):
    a confirmed participation in a confirmed or held event. The same for every caller."""

    event = graphene.Field("alliance.graphql.events.OutreachEventType", required=True)
    role = graphene.String(required=True, description="如：主讲、实训指导")

    unscoped = frozenset({"event"})  # only public (confirmed or held) events have a public participation

    class Meta:
        model = EventParticipation
        name = "OutreachParticipation"
        fields = ("event", "role")
        skip_registry = True  # EventParticipation's own type is alliance's EventParticipationType

    @classmethod
    def visible(cls, info):
        return alliance_selectors.public_participations()

    def resolve_event(root, info):
        return root.event


class ExpertType(VisibleObjectType):
    """A 劳模工匠. `phone` and `email` are null unless the caller may see them (the secretariat, the
    expert themself, an enterprise with an accepted pairing with this expert)."""

    role = ExpertRoleEnum(required=True)
    gender = GenderEnum()
    province = ProvinceEnum(required=True)
    industry = IndustryEnum(required=True)
    skills = graphene.List(graphene.NonNull(SkillType), required=True)
    honours = graphene.List(graphene.NonNull(ExpertHonourType), required=True)
    skill_tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    studio = graphene.Field("alliance.graphql.studios.StudioType")
    phone = graphene.String(description="私密：仅秘书处、本人和已接受结对的企业可见")
    email = graphene.String(description="私密：仅秘书处、本人和已接受结对的企业可见")
    declared_conflicts = graphene.List(
        graphene.NonNull(EnterpriseType),
        description="申报回避的企业（私密：仅本人和秘书处可见，其他人为 null） / enterprises the expert declared a "
                    "conflict of interest with (private: the expert and the secretariat; null for anyone else)",
    )
    outreach_history = graphene.List(
        graphene.NonNull(OutreachParticipationType), required=True,
        description="参加过的劳模工匠进校园活动（已确认或已举办），最近的在前 / campus outreach events, newest first",
    )

    prefetch = {"outreach_history": "event_participations"}

    class Meta:
        model = Expert
        name = "Expert"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "name", "gender", "role", "professional_title", "position", "employer", "province", "city",
            "industry", "skills", "skill_tags", "bio", "achievements", "studio", "capacity",
            "accepting_pairings", "accepts_remote", "honours", "phone", "email", "created_at", "updated_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.expert_list(user=info.context.user)

    def resolve_gender(root, info):
        return root.gender or None

    def resolve_skills(root, info):
        return root.skills.all()

    def resolve_honours(root, info):
        return root.honours.all()

    def resolve_studio(root, info):
        return root.studio

    def resolve_outreach_history(root, info):
        # Lists prefetch `event_participations` through OutreachParticipationType.visible (the public
        # history); a single expert loaded without the optimizer (myExpertProfile, a payload) reads it here.
        prefetched = getattr(root, "_prefetched_objects_cache", {}).get("event_participations")
        if prefetched is not None:
            return prefetched
        return alliance_selectors.expert_outreach_history(expert=root)

    def resolve_declared_conflicts(root, info):
        if not selectors.can_see_conflicts(info.context.user, root):
            return None
        return root.conflicts.order_by("pk")

    def resolve_phone(root, info):
        return root.phone if can_see_contact(info.context.user, root) else None

    def resolve_email(root, info):
        return root.email if can_see_contact(info.context.user, root) else None


class ExpertQueries(graphene.ObjectType):
    experts = ConnectionField(ExpertType, filterset_class=filters.ExpertFilter, description="劳模工匠库")
    my_expert_profile = graphene.Field(ExpertType, description="The caller's own expert entry, if any.")
    unclaimed_experts = ConnectionField(
        ExpertType, filterset_class=filters.ExpertFilter, q=graphene.String(),
        description="未开通账号的劳模工匠（仅秘书处），按姓名、工作单位或电话查找（q 的每个词） / catalog entries "
                    "nobody has claimed (secretariat), searched by name, employer or phone (every word of q)")

    def resolve_my_expert_profile(root, info):
        return expert_of(info.context.user)

    def resolve_unclaimed_experts(root, info, q=None, **kwargs):
        return selectors.unclaimed_experts(user=info.context.user, q=(q or "")[:100])


class ExpertProfileInput(graphene.InputObjectType):
    """What an expert may change on their own profile. Only the fields given change."""

    bio = graphene.String()
    achievements = graphene.String()
    skill_tags = graphene.List(graphene.NonNull(graphene.String))
    skills = graphene.List(graphene.NonNull(graphene.ID), description="Skill ids")
    capacity = graphene.Int(description="最多同时结对数 (0–20)")
    accepting_pairings = graphene.Boolean()
    accepts_remote = graphene.Boolean()
    phone = graphene.String()
    email = graphene.String()
    position = graphene.String()
    professional_title = graphene.String()
    city = graphene.String()
    conflicts = graphene.List(graphene.NonNull(graphene.ID),
                              description="申报回避的企业（Enterprise id，整体替换） / Enterprise ids the expert declares a "
                                          "conflict of interest with (replaces the list)")


class CreateExpertInput(graphene.InputObjectType):
    """A new entry of the 劳模工匠库 (secretariat)."""

    name = graphene.String(required=True)
    gender = GenderEnum()
    birth_year = graphene.Int()
    role = ExpertRoleEnum()
    professional_title = graphene.String()
    position = graphene.String()
    employer = graphene.String(required=True)
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    industry = IndustryEnum()
    skills = graphene.List(graphene.NonNull(graphene.ID), description="Skill ids")
    skill_tags = graphene.List(graphene.NonNull(graphene.String))
    honours = graphene.List(graphene.NonNull(HonourEnum))
    bio = graphene.String()
    achievements = graphene.String()
    studio = graphene.ID(description="Studio id")
    capacity = graphene.Int(description="最多同时结对数 (0–20)")
    accepting_pairings = graphene.Boolean()
    accepts_remote = graphene.Boolean()
    phone = graphene.String()
    email = graphene.String()


class _ExpertPayload(ServiceMutation):
    class Meta:
        abstract = True

    expert = graphene.Field(ExpertType, required=True)


class CreateExpert(_ExpertPayload):
    """Secretariat only: add an expert to the 劳模工匠库."""

    class Meta:
        name = "CreateExpertPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"skills": skills_from_ids, "studio": Load("alliance.graphql.studios.StudioType")}

    class Arguments:
        input = CreateExpertInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.expert_create(user=user, **given(fields))


class UpdateExpertProfile(_ExpertPayload):
    """The caller's own profile; the secretariat may pass `id` to edit any entry."""

    class Meta:
        name = "UpdateExpertProfilePayload"
        load = {"id": Load(ExpertType, to="expert"), "skills": skills_from_ids,
                "conflicts": Load(EnterpriseType, many=True)}

    class Arguments:
        input = ExpertProfileInput(required=True)
        id = graphene.ID(description="Defaults to the caller's own expert entry")

    @classmethod
    def perform(cls, info, user, expert=None, **fields):
        if expert is None:
            expert = expert_of(user)
            if expert is None:
                raise NotAllowed(_("该账号没有劳模工匠档案。"), code="not_an_expert")
        return services.expert_update(user=user, expert=expert, **fields)


class ExpertMutations(graphene.ObjectType):
    update_expert_profile = UpdateExpertProfile.Field()
    create_expert = CreateExpert.Field()
