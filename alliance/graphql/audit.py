"""GraphQL of the audit trail: `auditEntries` (secretariat only, newest first)."""
import graphene

from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node
from jianglian.models import AuditEntry

from .. import filters, selectors


class AuditEntryType(VisibleObjectType):
    """One state change: who, when, from → to, note. Secretariat only."""

    actor_username = graphene.String()

    class Meta:
        model = AuditEntry
        name = "AuditEntry"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "at", "actor_name", "actor_role", "subject_type", "subject_id", "action", "from_state",
                  "to_state", "note")

    @classmethod
    def visible(cls, info):
        return selectors.audit_entry_list(user=info.context.user)  # NotAllowed → FORBIDDEN for others

    @classmethod
    def get_queryset(cls, queryset, info):
        return super().get_queryset(queryset, info).select_related("actor")

    def resolve_actor_username(root, info):
        return root.actor.get_username() if root.actor_id else None


class AuditQueries(graphene.ObjectType):
    audit_entries = ConnectionField(AuditEntryType, filterset_class=filters.AuditEntryFilter,
                                    description="审计记录（仅秘书处），新的在前")
